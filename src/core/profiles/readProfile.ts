// Opening a profile file of either kind, with an answer for every way it can be wrong:
// not JSON (truncated), JSON of another shape, dangling node ids, or too large to load.
import { promises as fsp } from 'node:fs';
import type { CpuProfile, SamplingHeapProfile } from './types';

/** V8 cannot hold a longer string (~512 MB of one-byte text); a 10-minute profile is ~10 MB. */
export const MAX_PROFILE_BYTES = 0x1fffffe8;

export type LoadedProfile = { kind: 'cpu'; profile: CpuProfile } | { kind: 'alloc'; profile: SamplingHeapProfile };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCallFrame(v: unknown): boolean {
  return isObject(v) && typeof v.functionName === 'string' && typeof v.url === 'string' && typeof v.lineNumber === 'number';
}

/** Checks the shape a `.cpuprofile` must have; returns why not, or undefined. */
export function cpuProfileProblem(p: Record<string, unknown>): string | undefined {
  if (!Array.isArray(p.nodes) || p.nodes.length === 0) return 'it has no "nodes"';
  if (typeof p.startTime !== 'number' || typeof p.endTime !== 'number') return 'it has no numeric "startTime"/"endTime"';
  const ids = new Set<number>();
  for (const n of p.nodes as unknown[]) {
    if (!isObject(n) || typeof n.id !== 'number' || !isCallFrame(n.callFrame)) return 'a node lacks a numeric "id" or a "callFrame"';
    ids.add(n.id);
  }
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  if (!Array.isArray(samples) || !Array.isArray(deltas)) return '"samples"/"timeDeltas" are not arrays';
  if (samples.length !== deltas.length) return `it has ${samples.length} samples but ${deltas.length} time deltas`;
  for (const s of samples) if (!ids.has(s as number)) return `a sample names node ${String(s)}, which is not in "nodes"`;
  return undefined;
}

export function parseProfile(text: string, name: string): LoadedProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name} is not valid JSON (${(err as Error).message}); was it cut short while being written?`, { cause: err });
  }
  if (!isObject(json)) throw new Error(`${name} is not a profile: expected a JSON object`);
  if ('nodes' in json) {
    const problem = cpuProfileProblem(json);
    if (problem) throw new Error(`${name} is not a usable .cpuprofile: ${problem}`);
    return { kind: 'cpu', profile: json as unknown as CpuProfile };
  }
  if ('head' in json) {
    if (!isObject(json.head) || !isCallFrame(json.head.callFrame) || !Array.isArray(json.head.children))
      throw new Error(`${name} is not a usable .heapprofile: its "head" is not a sampling heap node`);
    return { kind: 'alloc', profile: json as unknown as SamplingHeapProfile };
  }
  throw new Error(`${name} is neither a CPU profile (.cpuprofile: "nodes", "samples") nor an allocation profile (.heapprofile: "head")`);
}

export async function readProfileFile(file: string): Promise<LoadedProfile> {
  let size: number;
  try {
    size = (await fsp.stat(file)).size;
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (size > MAX_PROFILE_BYTES)
    throw new Error(
      `${file} is ${Math.round(size / 2 ** 20)} MB, above the ${Math.round(MAX_PROFILE_BYTES / 2 ** 20)} MB a profile can be loaded with; record a shorter window or a coarser interval`,
    );
  return parseProfile(await fsp.readFile(file, 'utf8'), file);
}
