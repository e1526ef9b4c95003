// A large, realistic .cpuprofile for the profile bench, streamed to disk (never held in
// memory): a workspace of generated modules, a call tree of nested calls into them (deep
// stacks, shared functions, recursion, position ticks), and millions of samples with time
// deltas, plus V8's pseudo nodes. Sizes are in MB of JSON; the layout is fixed by a seed.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from './types';

export interface GeneratedProfile {
  file: string;
  workspace: string;
  bytes: number;
  nodes: number;
  samples: number;
}

const MODULES = 300;
const FUNCTIONS_PER_MODULE = 40;
const MAX_DEPTH = 80;

function write(stream: NodeJS.WritableStream, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

/** Writes `<dir>/big.cpuprofile` of about `megabytes` MB and the workspace it points into. */
export async function generateCpuProfile(dir: string, megabytes: number): Promise<GeneratedProfile> {
  const workspace = join(dir, 'workspace');
  mkdirSync(join(workspace, 'src'), { recursive: true });
  for (let m = 0; m < MODULES; m++) {
    const lines: string[] = [];
    for (let f = 0; f < FUNCTIONS_PER_MODULE; f++)
      lines.push(`function fn${m}_${f}(input) {`, `  const value = JSON.parse(input);`, `  return value.length;`, `}`);
    writeFileSync(join(workspace, 'src', `mod${m}.js`), `${lines.join('\n')}\n`);
  }
  const random = seededRandom(42);
  const file = join(dir, 'big.cpuprofile');
  const out = createWriteStream(file);
  let bytes = 0;
  const emit = async (text: string): Promise<void> => {
    bytes += text.length;
    await write(out, text);
  };
  // Half the bytes in the tree (nodes ~230 bytes each), half in samples (~11 bytes each).
  const nodeCount = Math.max(1000, Math.round((megabytes * 1e6 * 0.5) / 230));
  const sampleCount = Math.max(1000, Math.round((megabytes * 1e6 * 0.5) / 11));
  const url = (m: number): string => pathToFileURL(join(workspace, 'src', `mod${m}.js`)).href;
  const pseudo = (id: number, name: string): string =>
    `{"id":${id},"callFrame":{"functionName":"${name}","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1},"hitCount":0}`;
  await emit('{"nodes":[');
  // Node 1 is (root) with children 2..4 pseudo nodes and the first JS node 5; every JS node hangs under an earlier one.
  const children: number[][] = Array.from({ length: nodeCount + 5 }, () => []);
  // Stacks as deep as real ones (up to MAX_DEPTH frames): mostly deepen the latest branch, sometimes branch from anywhere.
  const depth = new Int32Array(nodeCount + 5);
  depth[5] = 1;
  for (let id = 6; id < nodeCount + 5; id++) {
    let parent = random() < 0.7 ? id - 1 : 5 + Math.floor(random() * (id - 5));
    while (depth[parent] >= MAX_DEPTH) parent = 5 + Math.floor(random() * (id - 5));
    depth[id] = depth[parent] + 1;
    children[parent].push(id);
  }
  await emit(
    `{"id":1,"callFrame":{"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1},"hitCount":0,"children":[2,3,4,5]},`,
  );
  await emit(`${pseudo(2, '(garbage collector)')},${pseudo(3, '(idle)')},${pseudo(4, '(program)')}`);
  for (let id = 5; id < nodeCount + 5; id++) {
    const m = Math.floor(random() * MODULES);
    const f = Math.floor(random() * FUNCTIONS_PER_MODULE);
    const line = f * 4;
    const kids = children[id].length ? `,"children":[${children[id].join(',')}]` : '';
    await emit(
      `,{"id":${id},"callFrame":{"functionName":"fn${m}_${f}","scriptId":"${m + 10}","url":"${url(m)}","lineNumber":${line},"columnNumber":12},"hitCount":1,"positionTicks":[{"line":${line + 2},"ticks":1}]${kids}}`,
    );
  }
  const startTime = 1_000_000;
  await emit(`],"startTime":${startTime},"endTime":${startTime + sampleCount * 1000},"samples":[`);
  // Samples favour a few hot nodes (a power law), and a stack usually holds for several
  // samples in a row (a loop runs for milliseconds), as in real profiles.
  let chunk: string[] = [];
  let id = 5;
  for (let s = 0; s < sampleCount; s++) {
    const r = random();
    if (r >= 0.75) id = r < 0.78 ? 2 : r < 0.85 ? 3 : Math.min(5 + Math.floor(nodeCount * random() ** 3), nodeCount + 4);
    chunk.push(String(id));
    if (chunk.length === 10000) {
      await emit(`${s >= 10000 ? ',' : ''}${chunk.join(',')}`);
      chunk = [];
    }
  }
  if (chunk.length) await emit(`${sampleCount > chunk.length ? ',' : ''}${chunk.join(',')}`);
  await emit('],"timeDeltas":[');
  for (let s = 0; s < sampleCount; s += 10000) {
    const n = Math.min(10000, sampleCount - s);
    await emit(`${s ? ',' : ''}${Array.from({ length: n }, () => String(900 + Math.floor(random() * 200))).join(',')}`);
  }
  await emit(']}');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { file, workspace, bytes, nodes: nodeCount + 4, samples: sampleCount };
}
