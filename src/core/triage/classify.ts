// Bug classification: every candidate class scores the evidence for it, and says what
// would confirm or rule it out. The ranking is the investigation's hypothesis list; a
// class with thin evidence is reported as "low" with the check that would settle it.
import type { Evidence } from './evidence';
import { telemetrySignals } from './telemetryEvidence';

export type BugClass =
  | 'race-condition'
  | 'resource-leak'
  | 'pool-exhaustion'
  | 'retry-storm'
  | 'slow-query'
  | 'oversized-payload'
  | 'null-access'
  | 'unhandled-rejection'
  | 'configuration-error';

export type Confidence = 'high' | 'medium' | 'low';

export interface Candidate {
  bugClass: BugClass;
  label: string;
  score: number;
  confidence: Confidence;
  /** Each piece of evidence that points here, in words. */
  evidence: string[];
  /** What would confirm it (or rule it out) when the evidence is thin. */
  toConfirm: string[];
}

export const BUG_CLASS_LABELS: Record<BugClass, string> = {
  'race-condition': 'Race condition / lost update',
  'resource-leak': 'Resource leak (memory, listeners, timers)',
  'pool-exhaustion': 'Connection pool exhaustion',
  'retry-storm': 'Retry storm',
  'slow-query': 'Slow query',
  'oversized-payload': 'Oversized payload parsing',
  'null-access': 'Null / undefined access',
  'unhandled-rejection': 'Unhandled promise rejection',
  'configuration-error': 'Configuration error',
};

interface Signal {
  bugClass: BugClass;
  weight: number;
  says: string;
}

const MB = 1024 * 1024;

function errorText(e: Evidence): string {
  const parts = [e.incident.title, e.incident.culprit ?? ''];
  for (const x of e.event?.exceptions ?? []) parts.push(`${x.type}: ${x.value}`);
  for (const m of e.event?.messages ?? []) parts.push(m);
  return parts.join('\n');
}

function frameFunctions(e: Evidence): string[] {
  return (e.event?.exceptions ?? []).flatMap((x) => x.frames.map((f) => f.function ?? ''));
}

function textSignals(e: Evidence): Signal[] {
  const text = errorText(e);
  const out: Signal[] = [];
  const has = (re: RegExp) => re.test(text);
  if (has(/\b23514\b|violates check constraint/i))
    out.push({
      bugClass: 'race-condition',
      weight: 3,
      says: 'PostgreSQL rejected a write with 23514 (check constraint): an invariant the code checked in JavaScript did not hold at write time',
    });
  if (has(/\b23505\b|duplicate key value violates unique constraint/i))
    out.push({
      bugClass: 'race-condition',
      weight: 3,
      says: 'PostgreSQL rejected an insert with 23505 (unique violation): two requests inserted the same key after both saw it absent',
    });
  if (has(/\b40001\b|could not serialize access/i))
    out.push({ bugClass: 'race-condition', weight: 3, says: 'serialization failure (40001): concurrent transactions conflicted' });
  if (has(/\b40P01\b|deadlock detected/i))
    out.push({
      bugClass: 'race-condition',
      weight: 2,
      says: 'deadlock detected (40P01): concurrent transactions lock rows in different orders',
    });
  if (has(/MaxListenersExceededWarning|possible EventEmitter memory leak/i))
    out.push({
      bugClass: 'resource-leak',
      weight: 3,
      says: 'Node warned MaxListenersExceededWarning: listeners are added faster than they are removed',
    });
  if (has(/heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY/i))
    out.push({ bugClass: 'resource-leak', weight: 2, says: 'the process ran out of heap' });
  if (has(/timeout exceeded when trying to connect|too many clients already|remaining connection slots|\b53300\b/i))
    out.push({ bugClass: 'pool-exhaustion', weight: 3, says: 'connections could not be had: the pool (or the server) had none free' });
  if (has(/\b429\b|Too Many Requests|rate limit/i))
    out.push({ bugClass: 'retry-storm', weight: 2, says: 'a downstream answered 429: calls arrive faster than it accepts' });
  if (has(/retry|attempt \d+|ECONNRESET|socket hang up|\b503\b/i))
    out.push({ bugClass: 'retry-storm', weight: 1, says: 'the error mentions retries or dropped connections' });
  if (has(/canceling statement due to statement timeout|\b57014\b|Query read timeout/i))
    out.push({ bugClass: 'slow-query', weight: 3, says: 'a statement was cancelled by statement_timeout (57014)' });
  if (has(/Invalid string length|Maximum call stack size exceeded|request entity too large|\b413\b|Cannot create a string longer/i))
    out.push({ bugClass: 'oversized-payload', weight: 3, says: 'a payload exceeded what the runtime can hold as one string or stack' });
  if (frameFunctions(e).some((f) => /JSON\.parse|JSON\.stringify|structuredClone/.test(f)) && has(/memory|length|size/i))
    out.push({ bugClass: 'oversized-payload', weight: 2, says: 'the failure is inside JSON parsing of a large value' });
  if (has(/Cannot read propert(y|ies) of (undefined|null)|is not a function|undefined is not an object|Cannot destructure/i))
    out.push({ bugClass: 'null-access', weight: 3, says: 'a value was undefined or null where the code expected an object' });
  const mechanisms = (e.event?.exceptions ?? []).map((x) => x.mechanism?.type ?? '');
  if (mechanisms.some((m) => /unhandledrejection/i.test(m)) || has(/UnhandledPromiseRejection|unhandled rejection/i))
    out.push({ bugClass: 'unhandled-rejection', weight: 3, says: 'the error reached the process as an unhandled promise rejection' });
  if (
    has(
      /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|password authentication failed|Invalid URL|is not set|missing (required )?(env|configuration)|certificate/i,
    )
  )
    out.push({
      bugClass: 'configuration-error',
      weight: 2,
      says: 'the error names an unreachable host, a refused connection or missing configuration',
    });
  return out;
}

const RULE_CLASSES: Record<string, BugClass> = {
  'read-then-write': 'race-condition',
  'check-then-insert': 'race-condition',
  'listener-leak': 'resource-leak',
  'interval-leak': 'resource-leak',
  'unbounded-cache': 'resource-leak',
  'pool-client-leak': 'pool-exhaustion',
  'unbounded-retry': 'retry-storm',
  'floating-promise': 'unhandled-rejection',
};

function codeSignals(e: Evidence): Signal[] {
  const out: Signal[] = [];
  const fp = e.failurePoint;
  for (const f of e.findings ?? []) {
    const bugClass = RULE_CLASSES[f.ruleId];
    if (!bugClass) continue;
    const atFailure = fp && f.file === fp.file && Math.abs(f.line - fp.line) <= 8;
    out.push({
      bugClass,
      weight: atFailure ? 3 : 1,
      says: atFailure
        ? `the failing code matches the ${f.ruleId} rule at ${f.file}:${f.line}: ${f.message}`
        : `${f.file}:${f.line} matches the ${f.ruleId} rule`,
    });
  }
  for (const c of e.commits ?? []) {
    if (c.introducedLine && c.inWindow) {
      const why = /lock|for update|transaction|atomic|concurren/i.test(c.subject) ? 'race-condition' : undefined;
      if (why)
        out.push({
          bugClass: why,
          weight: 2,
          says: `the failing line was last changed by "${c.subject}" (${c.sha.slice(0, 7)}), just before the incident began, and it touches locking`,
        });
    }
  }
  return out;
}

function runtimeSignals(e: Evidence): Signal[] {
  const out: Signal[] = [];
  const heap = e.heap;
  if (heap && heap.growthBytes > 5 * MB) {
    const top = heap.suspects[0];
    out.push({
      bugClass: 'resource-leak',
      weight: heap.leakedBytes && heap.leakedBytes > MB ? 3 : 2,
      says: `the heap grew by ${(heap.growthBytes / MB).toFixed(1)} MB over the snapshot series${top ? `, led by ${top.className} (+${top.countDelta})` : ''}`,
    });
  }
  const db = e.database;
  if (db?.activity) {
    const a = db.activity;
    if (a.idleInTransaction >= 3)
      out.push({
        bugClass: 'pool-exhaustion',
        weight: 2,
        says: `${a.idleInTransaction} sessions sit idle in transaction holding connections`,
      });
    if (a.maxConnections > 0 && a.total / a.maxConnections >= 0.85)
      out.push({ bugClass: 'pool-exhaustion', weight: 2, says: `${a.total} of ${a.maxConnections} connections are in use` });
  }
  if (db?.blockingChains && db.blockingChains > 0)
    out.push({
      bugClass: 'race-condition',
      weight: 1,
      says: `${db.blockingChains} sessions wait on row locks held by others: requests contend for the same rows`,
    });
  const slow = db?.slowStatements?.[0];
  if (slow && slow.meanMs >= 100)
    out.push({
      bugClass: 'slow-query',
      weight: 2,
      says: `the top statement by total time averages ${slow.meanMs.toFixed(0)} ms over ${slow.calls} calls`,
    });
  const series = e.incident.series ?? [];
  const peak = Math.max(0, ...series.map(([, n]) => n));
  if (peak >= 50 && e.incident.userCount > 0 && e.incident.count / e.incident.userCount >= 20)
    out.push({
      bugClass: 'retry-storm',
      weight: 1,
      says: `${Math.round(e.incident.count / e.incident.userCount)} events per affected user: the same work is attempted again and again`,
    });
  return out;
}

const TO_CONFIRM: Record<BugClass, string[]> = {
  'race-condition': [
    'Replay the failing request concurrently (e.g. 50 parallel reservations for one key) against a copy of the database and watch the constraint fire.',
    'Check whether the failing write is guarded by a row lock or a conditional WHERE that repeats the check.',
  ],
  'resource-leak': [
    'Capture a baseline, target and final heap snapshot under load and compare: objects allocated between baseline and target that survive in final are the leak.',
    'Look for process.on warnings MaxListenersExceededWarning in the service logs.',
  ],
  'pool-exhaustion': [
    'Watch connections by state during the incident: many "idle in transaction" or the pool at its max points here.',
    'Check that every pool.connect() has a release() on every path, including errors.',
  ],
  'retry-storm': ['Count attempts per request id or idempotency key in the logs; check retry loops for a cap and backoff with jitter.'],
  'slow-query': [
    'Look up the statement in pg_stat_statements (mean time, calls, rows) and EXPLAIN it for sequential scans on large tables.',
  ],
  'oversized-payload': ['Log the size of the payload being parsed at the failing frame; compare against the largest seen in production.'],
  'null-access': ['Find which input left the value undefined: check the event’s request data and the code path that builds the object.'],
  'unhandled-rejection': [
    'Find the promise created without await or .catch in the frames of the event; the rule floating-promise finds them statically.',
  ],
  'configuration-error': ['Compare the service’s environment in the failing release with the previous one (hosts, credentials, TLS).'],
};

export function classify(evidence: Evidence): Candidate[] {
  const signals = [...textSignals(evidence), ...codeSignals(evidence), ...runtimeSignals(evidence), ...telemetrySignals(evidence)];
  const byClass = new Map<BugClass, Signal[]>();
  for (const s of signals) byClass.set(s.bugClass, [...(byClass.get(s.bugClass) ?? []), s]);
  const candidates: Candidate[] = [...byClass.entries()].map(([bugClass, list]) => {
    const score = list.reduce((sum, s) => sum + s.weight, 0);
    const independent = new Set(list.map((s) => s.says.split(':')[0])).size;
    const confidence: Confidence = score >= 5 && independent >= 2 ? 'high' : score >= 3 ? 'medium' : 'low';
    return {
      bugClass,
      label: BUG_CLASS_LABELS[bugClass],
      score,
      confidence,
      evidence: list.map((s) => s.says),
      toConfirm: TO_CONFIRM[bugClass],
    };
  });
  candidates.sort((a, b) => b.score - a.score || a.bugClass.localeCompare(b.bugClass));
  return candidates;
}
