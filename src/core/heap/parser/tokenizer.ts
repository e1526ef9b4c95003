// A streaming tokenizer for .heapsnapshot files. It is fed the file chunk by chunk and
// writes the big number arrays (nodes, edges, locations) straight into typed arrays and
// decodes each entry of `strings` on its own, so neither the whole JSON text nor an
// object graph is ever built: files past V8's ~512 MiB string limit parse fine. Only
// the small `snapshot` header is handed to JSON.parse. Sections not needed for the
// analysis (trace trees, samples, unknown keys from newer V8) are skipped, not stored.

import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  DIGIT_DIGIT,
  DIGIT_SEPARATOR,
  isSpace,
  OPEN_BRACE,
  OPEN_BRACKET,
  PAIR_KIND,
  PAIR_VALUE,
  QUOTE,
  SEPARATOR_DIGIT,
  SEPARATOR_SEPARATOR,
} from './bytes';
import { GrowableUint32 } from './growable';

export class HeapSnapshotFormatError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(`${message} at byte offset ${byteOffset}`);
    this.name = 'HeapSnapshotFormatError';
  }
}

const enum State {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  ValueStart,
  NumbersOpen,
  Numbers,
  StringsOpen,
  StringsBetween,
  StringBody,
  Skip,
  End,
}

export interface TokenizerSink {
  /** The parsed `snapshot` header; returns the arrays the number sections go into. */
  header(value: unknown): void;
  numbers(key: string): GrowableUint32 | undefined;
  string(value: string): void;
}

export class SnapshotTokenizer {
  private state = State.Start;
  /** Absolute offset of the first byte of the current chunk. */
  private base = 0;
  private key = '';
  private keyBytes: number[] = [];
  private target: GrowableUint32 | undefined;
  private num = 0;
  /** Digits of the current number so far (0: between numbers). */
  private digits = 0;
  private pairSource: Buffer | undefined;
  private pairShift = 0;
  private pairs: Uint16Array<ArrayBufferLike> = new Uint16Array(0);
  private pieces: Buffer[] = [];
  private escaped = false;
  private hasEscape = false;
  private depth = 0;
  private skipInString = false;
  private capture = false;

  constructor(private readonly sink: TokenizerSink) {}

  get bytesSeen(): number {
    return this.base;
  }

  push(buf: Buffer): void {
    const len = buf.length;
    let i = 0;
    while (i < len) {
      switch (this.state) {
        case State.Start:
        case State.KeyOrEnd:
        case State.Colon:
        case State.NumbersOpen:
        case State.StringsOpen:
        case State.End: {
          const c = buf[i]!;
          i++;
          if (isSpace(c)) continue;
          this.structural(c, i - 1);
          continue;
        }
        case State.Key: {
          const c = buf[i++]!;
          if (c === QUOTE) {
            this.key = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = [];
            this.state = State.Colon;
          } else this.keyBytes.push(c);
          continue;
        }
        case State.ValueStart: {
          const c = buf[i]!;
          if (isSpace(c)) {
            i++;
            continue;
          }
          this.beginValue(c, i);
          if ((this.state as State) === State.Skip) continue; // the Skip state consumes the first byte itself
          i++;
          continue;
        }
        case State.Numbers:
          i = this.numbers(buf, i, len);
          continue;
        case State.StringsBetween: {
          const c = buf[i++]!;
          if (isSpace(c) || c === COMMA) continue;
          if (c === QUOTE) {
            this.state = State.StringBody;
            this.hasEscape = false;
            this.escaped = false;
          } else if (c === CLOSE_BRACKET) this.state = State.KeyOrEnd;
          else this.fail(`expected a string in "strings", found ${JSON.stringify(String.fromCharCode(c))}`, i - 1);
          continue;
        }
        case State.StringBody:
          i = this.stringBody(buf, i, len);
          continue;
        case State.Skip:
          i = this.skip(buf, i, len);
          continue;
      }
    }
    this.base += len;
  }

  /** Call after the last chunk: a snapshot cut short is an error, not a smaller snapshot. */
  end(): void {
    if (this.state !== State.End) {
      const where =
        this.state === State.Start ? 'before the snapshot began' : this.key ? `inside "${this.key}"` : 'in the top-level object';
      throw new HeapSnapshotFormatError(`the snapshot file ends early (truncated?) ${where}`, this.base);
    }
  }

  private fail(message: string, i: number): never {
    throw new HeapSnapshotFormatError(`not a valid heap snapshot: ${message}`, this.base + i);
  }

  private structural(c: number, i: number): void {
    switch (this.state) {
      case State.Start:
        if (c === 0xef || c === 0xbb || c === 0xbf) return; // UTF-8 byte order mark
        if (c !== OPEN_BRACE) this.fail(`expected "{" to open the snapshot, found ${JSON.stringify(String.fromCharCode(c))}`, i);
        this.state = State.KeyOrEnd;
        return;
      case State.KeyOrEnd:
        if (c === COMMA) return;
        if (c === QUOTE) this.state = State.Key;
        else if (c === CLOSE_BRACE) this.state = State.End;
        else this.fail(`expected a key, found ${JSON.stringify(String.fromCharCode(c))}`, i);
        return;
      case State.Colon:
        if (c !== COLON) this.fail(`expected ":" after "${this.key}"`, i);
        this.state = State.ValueStart;
        return;
      case State.NumbersOpen:
      case State.StringsOpen:
        if (c !== OPEN_BRACKET) this.fail(`expected "[" to open "${this.key}"`, i);
        this.state = this.state === State.NumbersOpen ? State.Numbers : State.StringsBetween;
        return;
      case State.End:
        this.fail('unexpected data after the end of the snapshot', i);
    }
  }

  private beginValue(c: number, i: number): void {
    const numbers = this.sink.numbers(this.key);
    if (numbers) {
      this.target = numbers;
      this.num = 0;
      this.digits = 0;
      this.state = State.NumbersOpen;
      this.structural(c, i);
    } else if (this.key === 'strings') {
      this.state = State.StringsOpen;
      this.structural(c, i);
    } else {
      this.capture = this.key === 'snapshot';
      this.pieces = [];
      this.depth = 0;
      this.skipInString = false;
      this.escaped = false;
      this.state = State.Skip;
    }
  }

  /**
   * Digits straight into the typed array: most of the parse time. Bytes are taken in
   * aligned pairs through a lookup table (half the iterations, and half the hard-to-predict
   * branches, of a byte loop); whatever a pair cannot settle (an odd byte at either end,
   * the closing bracket, bad input, a full array) goes through the exact byte loop.
   */
  private numbers(buf: Buffer, i: number, len: number): number {
    while (i < len && this.state === State.Numbers) {
      i = this.numberPairs(buf, i, len);
      if (i < len) i = this.numberBytes(buf, i, Math.min(len, i + 2));
    }
    return i;
  }

  private numberPairs(buf: Buffer, i: number, len: number): number {
    if (buf !== this.pairSource) {
      this.pairSource = buf;
      this.pairShift = buf.byteOffset & 1;
      this.pairs = new Uint16Array(buf.buffer, buf.byteOffset + this.pairShift, (len - this.pairShift) >> 1);
    }
    if (((i - this.pairShift) & 1) !== 0) return i;
    const pairs = this.pairs;
    const target = this.target!;
    const data = target.data;
    let n = target.length;
    let v = this.num;
    let inNumber = this.digits !== 0;
    let j = (i - this.pairShift) >> 1;
    // Each pair ends at most one number: never run more pairs than the array has room for.
    const end = Math.min(pairs.length, j + (data.length - n));
    for (; j < end; j++) {
      const p = pairs[j]!;
      const kind = PAIR_KIND[p]!;
      if (kind === DIGIT_DIGIT) {
        v = v * 100 + PAIR_VALUE[p]!;
        inNumber = true;
      } else if (kind === DIGIT_SEPARATOR) {
        data[n++] = v * 10 + PAIR_VALUE[p]!;
        v = 0;
        inNumber = false;
      } else if (kind === SEPARATOR_DIGIT) {
        if (inNumber) data[n++] = v;
        v = PAIR_VALUE[p]!;
        inNumber = true;
      } else if (kind === SEPARATOR_SEPARATOR) {
        if (inNumber) {
          data[n++] = v;
          v = 0;
          inNumber = false;
        }
      } else break;
    }
    target.length = n;
    this.num = v;
    this.digits = inNumber ? 1 : 0;
    return j * 2 + this.pairShift;
  }

  /** The exact byte loop: growth, the closing bracket, errors with their byte offset. */
  private numberBytes(buf: Buffer, i: number, len: number): number {
    const target = this.target!;
    let data = target.data;
    let n = target.length;
    let v = this.num;
    let digits = this.digits;
    for (; i < len; i++) {
      const d = buf[i]! - 48;
      if (d >= 0 && d <= 9) {
        v = v * 10 + d;
        digits++;
        continue;
      }
      if (digits !== 0) {
        if (n === data.length) {
          target.length = n;
          target.grow();
          data = target.data;
        }
        data[n++] = v;
        v = 0;
        digits = 0;
      }
      if (isSpace(d + 48) || d + 48 === COMMA) continue;
      if (d + 48 === CLOSE_BRACKET) {
        this.state = State.KeyOrEnd;
        i++;
        break;
      }
      target.length = n;
      this.fail(`unexpected ${JSON.stringify(String.fromCharCode(d + 48))} in the "${this.key}" numbers`, i);
    }
    target.length = n;
    this.num = v;
    this.digits = digits;
    return i;
  }

  private stringBody(buf: Buffer, i: number, len: number): number {
    const start = i;
    let escaped = this.escaped;
    for (; i < len; i++) {
      const c = buf[i]!;
      if (escaped) {
        escaped = false;
        continue;
      }
      if (c === BACKSLASH) {
        escaped = true;
        this.hasEscape = true;
      } else if (c === QUOTE) {
        let text: string;
        if (this.pieces.length === 0) text = buf.toString('utf8', start, i);
        else {
          text = Buffer.concat([...this.pieces, buf.subarray(start, i)]).toString('utf8');
          this.pieces = [];
        }
        this.sink.string(this.decode(text, i));
        this.state = State.StringsBetween;
        this.escaped = false;
        return i + 1;
      }
    }
    // The string goes on in the next chunk: keep a copy of this part.
    this.pieces.push(Buffer.from(buf.subarray(start, len)));
    this.escaped = escaped;
    return len;
  }

  private decode(text: string, i: number): string {
    if (!this.hasEscape) return text;
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      this.fail('a string with an invalid escape', i);
    }
  }

  /** Skips (or, for the header, captures) one JSON value of any shape. */
  private skip(buf: Buffer, i: number, len: number): number {
    const start = i;
    for (; i < len; i++) {
      const c = buf[i]!;
      if (this.skipInString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.skipInString = false;
          if (this.depth === 0) return this.finishSkip(buf, start, i + 1);
        }
        continue;
      }
      if (c === QUOTE) this.skipInString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === 0) return this.finishSkip(buf, start, i); // a scalar ended by the parent's close
        this.depth--;
        if (this.depth === 0) return this.finishSkip(buf, start, i + 1);
      } else if (c === COMMA && this.depth === 0) return this.finishSkip(buf, start, i);
    }
    if (this.capture) this.pieces.push(Buffer.from(buf.subarray(start, len)));
    return len;
  }

  private finishSkip(buf: Buffer, start: number, end: number): number {
    this.state = State.KeyOrEnd;
    if (this.capture) {
      const text = Buffer.concat([...this.pieces, buf.subarray(start, end)]).toString('utf8');
      this.pieces = [];
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        this.fail(`the "snapshot" header is not valid JSON (${(err as Error).message})`, end);
      }
      this.sink.header(value);
    }
    return end;
  }
}
