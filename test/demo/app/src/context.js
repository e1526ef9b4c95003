// Per-request state: who asked, what they sent, and the log lines of the request.
class RequestContext {
  constructor(req, body) {
    this.requestId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.method = req.method;
    this.url = req.url;
    this.headers = { ...req.headers };
    this.body = body;
    this.startedAt = Date.now();
    this.log = [];
    // Rendering buffers kept for the response; large on purpose to mirror real payloads.
    this.scratch = Buffer.alloc(16 * 1024);
  }

  note(line) {
    this.log.push(`${Date.now() - this.startedAt}ms ${line}`);
  }
}

module.exports = { RequestContext };
