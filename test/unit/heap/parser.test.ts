// The streaming parser against JSON.parse on real snapshots of a real process, at every
// chunk size, and its errors on truncated and corrupt files.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeapSnapshotFormatError, parseSnapshotFile, SnapshotAssembler, type RawSnapshot } from '../../../src/core/heap/parser/index';
import { makeTempDir } from '../harness/git';
import { captureOrdersSeries, writeTinySnapshot } from './snapshots';

interface Json {
  snapshot: { node_count: number };
  nodes: number[];
  edges: number[];
  locations: number[];
  strings: string[];
}

function assertSameAsJson(parsed: RawSnapshot, json: Json): void {
  assert.equal(parsed.nodeCount, json.snapshot.node_count);
  assert.deepEqual(Array.from(parsed.nodes), json.nodes);
  assert.deepEqual(Array.from(parsed.edges), json.edges);
  assert.deepEqual(Array.from(parsed.locations), json.locations);
  assert.deepEqual(parsed.strings, json.strings);
}

describe('heap snapshot parser', function () {
  this.timeout(120000);
  let dir: string;
  let real: string;
  before(async () => {
    dir = makeTempDir('forensics-heap-parse-');
    [real] = await captureOrdersSeries(dir, 'leak', 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a real snapshot exactly as JSON.parse does', async () => {
    const json = JSON.parse(readFileSync(real, 'utf8')) as Json;
    const parsed = await parseSnapshotFile(real);
    assertSameAsJson(parsed, json);
    assert.ok(parsed.meta.node_fields.includes('detachedness'), 'field layout comes from the meta');
    assert.ok(parsed.locations.length > 0);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const bytes = readFileSync(real);
    const json = JSON.parse(bytes.toString('utf8')) as Json;
    for (const size of [1, 7, 4093]) {
      const assembler = new SnapshotAssembler();
      const limit = size === 1 ? 200_000 : bytes.length; // one byte at a time: only the head, then the rest at once
      let at = 0;
      for (; at < limit; at += size) assembler.push(bytes.subarray(at, Math.min(at + size, bytes.length)));
      if (at < bytes.length) assembler.push(bytes.subarray(at));
      assertSameAsJson(assembler.finish(), json);
    }
  });

  it('takes any JSON whitespace between numbers, as other writers than V8 may produce', async () => {
    const json = JSON.parse(readFileSync(real, 'utf8')) as Json;
    const file = join(dir, 'pretty.heapsnapshot');
    writeFileSync(file, JSON.stringify(json, null, '\t').replace(/\n/g, ' \r\n'));
    assertSameAsJson(await parseSnapshotFile(file), json);
  });

  it('decodes escaped and non-ASCII strings individually and skips unknown sections and fields', async () => {
    const file = join(dir, 'tiny.heapsnapshot');
    const names = ['', 'quote " and \\ backslash', 'snowman \u2603 and \ud83d\ude00', 'new\nline', 'Object'];
    writeTinySnapshot(
      file,
      names.map((name, i) => ({
        type: i === 0 ? 'synthetic' : 'object',
        name,
        id: i * 2 + 1,
        size: 10,
        edges: i === 0 ? [{ type: 'element', name: 1, to: 1 }] : [],
      })),
      true,
    );
    const parsed = await parseSnapshotFile(file);
    for (const name of names) assert.ok(parsed.strings.includes(name), JSON.stringify(name));
    assert.equal(parsed.meta.node_fields.length, 8);
    assertSameAsJson(parsed, JSON.parse(readFileSync(file, 'utf8')) as Json);
  });

  it('a truncated file is an error naming the byte offset', async () => {
    const bytes = readFileSync(real);
    for (const cut of [10, 5000, Math.floor(bytes.length * 0.6), bytes.length - 3]) {
      const file = join(dir, `cut-${cut}.heapsnapshot`);
      writeFileSync(file, bytes.subarray(0, cut));
      await assert.rejects(parseSnapshotFile(file), (err: Error) => {
        assert.ok(err instanceof HeapSnapshotFormatError, err.message);
        assert.match(err.message, new RegExp(`ends early .* at byte offset ${cut}$`));
        return true;
      });
    }
  });

  it('a corrupt file is an error naming the byte offset of the bad byte', async () => {
    const text = readFileSync(real, 'utf8');
    const at = text.indexOf('"edges":[') + 200;
    const file = join(dir, 'corrupt.heapsnapshot');
    // At both parities: the numbers loop reads byte pairs, the offset is still the bad byte's.
    for (const bad of [at, at + 1]) {
      writeFileSync(file, `${text.slice(0, bad)}x${text.slice(bad + 1)}`);
      await assert.rejects(parseSnapshotFile(file), new RegExp(`unexpected "x" in the "edges" numbers at byte offset ${bad}$`));
    }
    const inNodes = text.indexOf('"nodes":[') + 101;
    writeFileSync(file, `${text.slice(0, inNodes)}-${text.slice(inNodes + 1)}`);
    await assert.rejects(parseSnapshotFile(file), new RegExp(`unexpected "-" in the "nodes" numbers at byte offset ${inNodes}$`));
    writeFileSync(file, '{"hello": "world"}');
    await assert.rejects(parseSnapshotFile(file), /no "snapshot" header/);
    writeFileSync(file, '<html>');
    await assert.rejects(parseSnapshotFile(file), /expected "\{" to open the snapshot, found "<" at byte offset 0/);
    await assert.rejects(parseSnapshotFile(join(dir, 'missing.heapsnapshot')), /cannot read .*missing\.heapsnapshot: ENOENT/);
  });
});
