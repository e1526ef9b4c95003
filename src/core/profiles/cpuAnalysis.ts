// Where the CPU went, per function: self time (bottom-up: time spent in the function's own
// code, including the builtins it calls, since V8 charges `JSON.parse` to its JS caller)
// and total time (top-down: self plus callees, each function counted once per stack so
// recursion is not double-counted). V8's pseudo nodes — (garbage collector), (idle),
// (program), (root) — are reported apart from the code. Works on typed arrays indexed by
// node position, so a profile of millions of nodes and samples stays linear.
import { isPseudoFunction, type CpuProfile, type ProfileCallFrame } from './types';

export interface FunctionTime {
  /** Stable key: name, url, 0-based line and column of the function. */
  key: string;
  callFrame: ProfileCallFrame;
  selfUs: number;
  totalUs: number;
  /** Position ticks inside the function, 1-based generated lines, busiest first, with the time they stand for. */
  lines: { line: number; us: number }[];
  /** Functions that called this one, by the self time spent under them. */
  callers: { callFrame: ProfileCallFrame; us: number }[];
}

export interface CpuTimes {
  durationUs: number;
  sampleCount: number;
  /** Time charged to the pseudo nodes. */
  runtime: { gcUs: number; idleUs: number; programUs: number };
  functions: FunctionTime[];
}

function frameKey(f: ProfileCallFrame): string {
  return `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`;
}

/** Microseconds each sample stands for: the gap to the next sample (the last one gets the profile's end). */
function sampleDurations(profile: CpuProfile): Float64Array {
  const deltas = profile.timeDeltas ?? [];
  const n = profile.samples?.length ?? 0;
  const out = new Float64Array(n);
  let at = profile.startTime;
  for (let i = 0; i < n; i++) at += deltas[i] ?? 0;
  for (let i = 0; i < n - 1; i++) out[i] = Math.max(0, deltas[i + 1] ?? 0);
  // V8 can report a slightly negative delta when samples arrive out of order: never negative time.
  if (n > 0) out[n - 1] = Math.max(0, Math.min(profile.endTime - at, n > 1 ? out[n - 2] * 4 : Infinity));
  return out;
}

export function cpuTimes(profile: CpuProfile): CpuTimes {
  const nodes = profile.nodes;
  const count = nodes.length;
  const indexOf = new Map<number, number>();
  for (let i = 0; i < count; i++) indexOf.set(nodes[i].id, i);
  const parent = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++)
    for (const c of nodes[i].children ?? []) {
      const ci = indexOf.get(c);
      if (ci !== undefined) parent[ci] = i;
    }
  // Functions: one slot per distinct call frame.
  const fnOf = new Int32Array(count);
  const fnIndex = new Map<string, number>();
  const fnFrames: ProfileCallFrame[] = [];
  for (let i = 0; i < count; i++) {
    const key = frameKey(nodes[i].callFrame);
    let f = fnIndex.get(key);
    if (f === undefined) {
      fnIndex.set(key, (f = fnFrames.length));
      fnFrames.push(nodes[i].callFrame);
    }
    fnOf[i] = f;
  }

  const nodeSelf = new Float64Array(count);
  const durations = sampleDurations(profile);
  const samples = profile.samples ?? [];
  for (let s = 0; s < samples.length; s++) {
    const i = indexOf.get(samples[s]);
    if (i !== undefined) nodeSelf[i] += durations[s];
  }

  // Total time: children before parents, found by walking from the roots.
  const childIndexes = (i: number): number[] =>
    (nodes[i].children ?? []).map((c) => indexOf.get(c)).filter((c): c is number => c !== undefined);
  const order: number[] = [];
  for (let i = 0; i < count; i++) if (parent[i] < 0) order.push(i);
  for (let k = 0; k < order.length; k++) for (const c of childIndexes(order[k])) order.push(c);
  const nodeTotal = Float64Array.from(nodeSelf);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    if (parent[i] >= 0) nodeTotal[parent[i]] += nodeTotal[i];
  }

  const fnSelf = new Float64Array(fnFrames.length);
  const fnTotal = new Float64Array(fnFrames.length);
  // A function counts once per stack: add a node's total only when no ancestor is the same function.
  const onStack = new Int32Array(fnFrames.length);
  const stack: { i: number; entered: boolean }[] = order.filter((i) => parent[i] < 0).map((i) => ({ i, entered: false }));
  while (stack.length) {
    const top = stack[stack.length - 1];
    const f = fnOf[top.i];
    if (top.entered) {
      onStack[f]--;
      stack.pop();
      continue;
    }
    top.entered = true;
    if (onStack[f] === 0) fnTotal[f] += nodeTotal[top.i];
    onStack[f]++;
    for (const c of childIndexes(top.i)) stack.push({ i: c, entered: false });
  }

  const lines = new Map<number, Map<number, number>>();
  const callers = new Map<number, Map<number, number>>();
  for (let i = 0; i < count; i++) {
    const self = nodeSelf[i];
    if (self === 0) continue;
    const f = fnOf[i];
    fnSelf[f] += self;
    const ticks = nodes[i].positionTicks ?? [];
    const tickSum = ticks.reduce((a, t) => a + t.ticks, 0);
    if (tickSum > 0) {
      const byLine = lines.get(f) ?? new Map<number, number>();
      lines.set(f, byLine);
      for (const t of ticks) byLine.set(t.line, (byLine.get(t.line) ?? 0) + (self * t.ticks) / tickSum);
    }
    if (parent[i] >= 0) {
      const byCaller = callers.get(f) ?? new Map<number, number>();
      callers.set(f, byCaller);
      byCaller.set(fnOf[parent[i]], (byCaller.get(fnOf[parent[i]]) ?? 0) + self);
    }
  }

  const runtime = { gcUs: 0, idleUs: 0, programUs: 0 };
  const functions: FunctionTime[] = [];
  for (let f = 0; f < fnFrames.length; f++) {
    const callFrame = fnFrames[f];
    const name = callFrame.functionName;
    if (isPseudoFunction(name) && callFrame.url === '') {
      if (name === '(garbage collector)') runtime.gcUs += fnSelf[f];
      else if (name === '(idle)') runtime.idleUs += fnSelf[f];
      else if (name === '(program)') runtime.programUs += fnSelf[f];
      continue;
    }
    if (fnTotal[f] === 0) continue;
    functions.push({
      key: frameKey(callFrame),
      callFrame,
      selfUs: fnSelf[f],
      totalUs: fnTotal[f],
      lines: [...(lines.get(f) ?? [])].map(([line, us]) => ({ line, us })).sort((a, b) => b.us - a.us),
      callers: [...(callers.get(f) ?? [])]
        .map(([c, us]) => ({ callFrame: fnFrames[c], us }))
        .sort((a, b) => b.us - a.us)
        .slice(0, 5),
    });
  }
  return { durationUs: Math.max(0, profile.endTime - profile.startTime), sampleCount: samples.length, runtime, functions };
}
