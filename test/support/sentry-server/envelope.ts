// Sentry's envelope format as the SDK sends it to /api/{projectId}/envelope/: a JSON
// header line, then items, each a JSON item header line and a payload that is either
// `length` bytes long or runs to the next newline. The body may be gzip-compressed
// (the Node transport compresses bodies over 32 KiB and says so in Content-Encoding).
import { gunzipSync, inflateSync } from 'node:zlib';

export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  payload: Buffer;
}

export interface Envelope {
  header: { event_id?: string; dsn?: string; sent_at?: string; [key: string]: unknown };
  items: EnvelopeItem[];
}

export function decodeBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  const enc = (contentEncoding ?? '').toLowerCase().trim();
  if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body);
  if (enc === 'deflate') return inflateSync(body);
  // Some clients gzip without saying so; the gzip magic number tells.
  if (body.length > 2 && body[0] === 0x1f && body[1] === 0x8b) return gunzipSync(body);
  return body;
}

function readLine(buf: Buffer, start: number): { line: Buffer; next: number } {
  const nl = buf.indexOf(0x0a, start);
  if (nl === -1) return { line: buf.subarray(start), next: buf.length };
  return { line: buf.subarray(start, nl), next: nl + 1 };
}

export function parseEnvelope(buf: Buffer): Envelope {
  let pos = 0;
  const first = readLine(buf, pos);
  pos = first.next;
  const header = JSON.parse(first.line.toString('utf8')) as Envelope['header'];
  const items: EnvelopeItem[] = [];
  while (pos < buf.length) {
    const h = readLine(buf, pos);
    pos = h.next;
    const text = h.line.toString('utf8').trim();
    if (!text) continue;
    const itemHeader = JSON.parse(text) as EnvelopeItem['header'];
    let payload: Buffer;
    if (typeof itemHeader.length === 'number') {
      payload = buf.subarray(pos, pos + itemHeader.length);
      pos += itemHeader.length;
      if (buf[pos] === 0x0a) pos++;
    } else {
      const p = readLine(buf, pos);
      payload = p.line;
      pos = p.next;
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}
