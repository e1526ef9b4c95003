// Applying text edits, and a unified diff of the result for the CLI's --fix output.
import type { Fix, TextEdit } from './types';

export class OverlappingEdits extends Error {}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) throw new OverlappingEdits(`edits overlap at offset ${sorted[i].start}`);
  }
  let out = text;
  for (let i = sorted.length - 1; i >= 0; i--) out = out.slice(0, sorted[i].start) + sorted[i].newText + out.slice(sorted[i].end);
  return out;
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

function span(fix: Fix): [number, number] {
  return [Math.min(...fix.edits.map((e) => e.start)), Math.max(...fix.edits.map((e) => e.end))];
}

/** Picks fixes whose edit spans do not overlap (first come, first kept). */
export function nonOverlapping(candidates: readonly Fix[]): Fix[] {
  const kept: Fix[] = [];
  for (const f of candidates) {
    const [s, e] = span(f);
    if (
      kept.every((k) => {
        const [ks, ke] = span(k);
        return e < ks || s > ke;
      })
    )
      kept.push(f);
  }
  return kept;
}

/** A unified diff (3 lines of context) between two versions of one file. */
export function unifiedDiff(path: string, before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Longest common subsequence table; files here are source files, small enough.
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { op: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i], ai: i, bi: j });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      ops.push({ op: '+', line: b[j], ai: i, bi: j });
      j++;
    } else {
      ops.push({ op: '-', line: a[i], ai: i, bi: j });
      i++;
    }
  }
  const out = [`--- a/${path}`, `+++ b/${path}`];
  const context = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    let lastChange = k;
    while (end < ops.length && (ops[end].op !== ' ' || end - lastChange <= context * 2)) {
      if (ops[end].op !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai + 1;
    const bStart = hunk[0].bi + 1;
    const aLen = hunk.filter((h) => h.op !== '+').length;
    const bLen = hunk.filter((h) => h.op !== '-').length;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`, ...hunk.map((h) => `${h.op}${h.line}`));
    k = end;
  }
  return out.join('\n') + '\n';
}
