// The false-positive families found on real packages, each as the shape it takes there
// (written for this test): who is the emitter, what is a retry, what runs per call. Each
// snippet was flagged before the analysis learned the missing piece.
import { assertQuiet, only } from './ruleHarness';

describe('precision on real-code shapes', () => {
  describe('who is the emitter', () => {
    it('a helper module that takes the emitter first (util.addListener(socket, "error", fn)) is not the emitter', () =>
      assertQuiet(
        "const util = require('./util');\nfunction connect(socket) {\n  util.addListener(socket, 'error', onError);\n  util.addListener(socket, 'end', onEnd);\n}\nmodule.exports = { connect };\n",
        'listener-leak',
      ));
    it('a module-level emitter subscribed per call is still flagged', () =>
      only(
        "const bus = require('./bus');\nfunction handle(req) {\n  bus.on('tick', () => req.log('tick'));\n}\nmodule.exports = { handle };\n",
        'listener-leak',
      ));
  });

  describe('what is a retry', () => {
    it('a stream read loop that stops on done is progress, not a retry', () =>
      assertQuiet(
        'async function readAll(reader, onError) {\n  const chunks = [];\n  do {\n    let chunk;\n    try {\n      const { done, value } = await reader.read();\n      if (done) return Buffer.concat(chunks);\n      chunk = value;\n    } catch (err) {\n      onError(err);\n    }\n    chunks.push(chunk);\n  } while (true);\n}\n',
        'unbounded-retry',
      ));
    it('a caught error that is recorded and then leaves the loop is not repeated', () =>
      assertQuiet(
        'async function pump(source, sink) {\n  while (true) {\n    let bytes;\n    let failed = false;\n    try {\n      bytes = await source.take();\n    } catch (err) {\n      bytes = err;\n      failed = true;\n    }\n    if (failed) {\n      sink.destroy(bytes);\n      return;\n    }\n    if (!bytes) return;\n    sink.write(bytes);\n  }\n}\n',
        'unbounded-retry',
      ));
    it('a local of the same name called from the catch is not the function calling itself', () =>
      assertQuiet(
        'async function stringify(obj, safe) {\n  try {\n    return JSON.stringify(obj);\n  } catch (_) {\n    const stringify = safe || fallback;\n    return stringify(obj);\n  }\n}\n',
        'unbounded-retry',
      ));
    it('a loop that repeats the failed call after a caught error is still flagged', () =>
      only(
        "async function send(msg) {\n  while (true) {\n    try {\n      return await fetch('https://api.example/send', { method: 'POST', body: msg });\n    } catch (err) {\n      console.warn('send failed, retrying', err);\n    }\n  }\n}\n",
        'unbounded-retry',
      ));
  });

  describe('what runs per call', () => {
    it('a module-level table filled by a forEach that runs once while the module loads', () =>
      assertQuiet(
        'const nodeArgs = {};\nconst opts = parse(process.argv);\nObject.keys(opts).forEach((opt) => {\n  nodeArgs[trim(opt)] = opts[opt];\n});\n',
        'unbounded-cache',
      ));
    it('a timer kept on this and cleared through the instance in a helper', () =>
      assertQuiet(
        'function Sink(opts) {\n  this._timer = setInterval(() => this.flush(), opts.every);\n  this._timer.unref();\n}\nfunction shutdown(sink) {\n  if (sink._timer !== undefined) clearInterval(sink._timer);\n}\nmodule.exports = { Sink, shutdown };\n',
        'interval-leak',
      ));
  });
});
