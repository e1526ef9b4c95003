// The two profile formats as the inspector protocol defines them and as DevTools and
// VS Code open them: a `.cpuprofile` is exactly `Profiler.Profile`, a `.heapprofile`
// exactly `HeapProfiler.SamplingHeapProfile`. Both are written as V8 returns them.

/** `Runtime.CallFrame`: line and column are 0-based. */
export interface ProfileCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** `Profiler.PositionTickInfo`: `line` is 1-based, unlike the call frame's. */
export interface PositionTick {
  line: number;
  ticks: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: ProfileCallFrame;
  hitCount?: number;
  children?: number[];
  positionTicks?: PositionTick[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** Microseconds (monotonic clock). */
  startTime: number;
  endTime: number;
  /** Node id of each sample. */
  samples?: number[];
  /** Microseconds between consecutive samples (the first from startTime). */
  timeDeltas?: number[];
}

export interface SamplingHeapNode {
  callFrame: ProfileCallFrame;
  /** Bytes of the sampled allocations of this node still alive when sampling stopped. */
  selfSize: number;
  id: number;
  children: SamplingHeapNode[];
}

export interface SamplingHeapProfile {
  head: SamplingHeapNode;
  samples?: { size: number; nodeId: number; ordinal: number }[];
}

/** Nodes V8 adds that are not JavaScript functions: reported apart from the code. */
export const PSEUDO_FUNCTIONS = ['(root)', '(program)', '(idle)', '(garbage collector)'] as const;
export type PseudoFunction = (typeof PSEUDO_FUNCTIONS)[number];

export function isPseudoFunction(name: string): name is PseudoFunction {
  return (PSEUDO_FUNCTIONS as readonly string[]).includes(name);
}
