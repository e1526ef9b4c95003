// What to do about it: the hotfix (a quick-fix rule's edit, when one matches the failing
// code), the durable fix with the test that would have caught it, and the monitoring that
// catches a recurrence. Specific where the evidence allows (table, column, function).
import type { BugClass } from './classify';
import type { CodeFinding, Evidence } from './evidence';
import { telemetryAdvice } from './telemetryEvidence';

export interface Remediation {
  hotfix?: { title: string; ruleId: string; file: string; line: number; diff: string };
  /** Why there is no hotfix, when there is none. */
  noHotfixReason?: string;
  /** The hotfix in words, from trace numbers (cap + backoff, parse once…), beside or instead of a rule's edit. */
  immediate?: string[];
  longTerm: string[];
  regressionTest: string;
  monitoring: { alert: string; dashboard: string };
}

interface SqlTarget {
  table: string;
  column: string;
  key?: string;
}

/** The table and column a failing UPDATE writes, read from the failing line and its neighbours. */
export function sqlTarget(evidence: Evidence): SqlTarget | undefined {
  const text = [evidence.failurePoint?.lineText ?? '', ...(evidence.failurePoint?.excerpt?.lines ?? [])].join('\n');
  const update = /UPDATE\s+"?(\w+)"?\s+SET\s+"?(\w+)"?\s*=.*?WHERE\s+"?(\w+)"?/i.exec(text);
  if (update) return { table: update[1], column: update[2], key: update[3] };
  const insert = /INSERT\s+INTO\s+"?(\w+)"?\s*\(\s*"?(\w+)"?/i.exec(text);
  if (insert) return { table: insert[1], column: insert[2] };
  const select = /SELECT\s.+?\sFROM\s+"?(\w+)"?\s+(?:\w+\s+)?WHERE\s+(?:\w+\.)?"?(\w+)"?\s*=/i.exec(
    evidence.failurePoint?.lineText ?? text,
  );
  if (select) return { table: select[1], column: select[2], key: select[2] };
  return undefined;
}

/** The failing statement runs once per row of an outer loop (the N+1 pattern). */
export function insideLoop(evidence: Evidence): boolean {
  const fp = evidence.failurePoint;
  if (!fp?.excerpt) return false;
  const before = fp.excerpt.lines.slice(0, Math.max(0, fp.line - fp.excerpt.startLine));
  return before.some((l) => /\b(for\s*\(|\.forEach\(|\.map\(\s*async|while\s*\()/.test(l));
}

function hotfixFrom(evidence: Evidence, rules: string[]): CodeFinding | undefined {
  const fp = evidence.failurePoint;
  const matching = (evidence.findings ?? []).filter((f) => f.fix && rules.includes(f.ruleId));
  const near = fp ? matching.filter((f) => f.file === fp.file).sort((a, b) => Math.abs(a.line - fp.line) - Math.abs(b.line - fp.line)) : [];
  return near[0] ?? matching[0];
}

const HOTFIX_RULES: Record<BugClass, string[]> = {
  'race-condition': ['read-then-write', 'check-then-insert'],
  'resource-leak': ['listener-leak', 'interval-leak', 'unbounded-cache'],
  'pool-exhaustion': ['pool-client-leak'],
  'retry-storm': ['unbounded-retry'],
  'slow-query': [],
  'oversized-payload': [],
  'null-access': [],
  'unhandled-rejection': ['floating-promise'],
  'configuration-error': [],
};

export function remediate(evidence: Evidence, bugClass: BugClass | undefined): Remediation {
  const r = remediateFromCode(evidence, bugClass);
  const immediate = telemetryAdvice(evidence, bugClass);
  return immediate.length ? { ...r, immediate } : r;
}

function remediateFromCode(evidence: Evidence, bugClass: BugClass | undefined): Remediation {
  const target = sqlTarget(evidence);
  const fn = evidence.failurePoint?.frame.function ?? 'the failing function';
  const finding = bugClass ? hotfixFrom(evidence, HOTFIX_RULES[bugClass]) : undefined;
  const hotfix = finding?.fix
    ? { title: finding.fix.title, ruleId: finding.ruleId, file: finding.file, line: finding.line, diff: finding.fix.diff }
    : undefined;
  const base: Pick<Remediation, 'hotfix' | 'noHotfixReason'> = hotfix
    ? { hotfix }
    : {
        noHotfixReason:
          bugClass && HOTFIX_RULES[bugClass].length
            ? `no ${HOTFIX_RULES[bugClass].join(' / ')} finding in the failing code: scan the workspace ("forensics fixes scan") to look for one`
            : 'no quick-fix rule covers this bug class; the long-term fix below is the change to make',
      };
  switch (bugClass) {
    case 'race-condition': {
      const t = target ?? { table: 'the table', column: 'the column', key: 'id' };
      return {
        ...base,
        longTerm: [
          `Keep the invariant in one statement: \`UPDATE ${t.table} SET ${t.column} = ${t.column} - $1 WHERE ${t.key ?? 'id'} = $2 AND ${t.column} >= $1\`, and treat \`rowCount === 0\` as "not enough" (a 409, not a 500).`,
          `Where the read value is needed for more than the check, read it with \`SELECT … FOR UPDATE\` inside a transaction so concurrent requests wait instead of racing.`,
          `Keep the \`CHECK\` constraint: it turned a silent oversell into a loud error.`,
          `Review changes that remove locks or transactions ("performance" refactors) with a concurrency test in the same pull request.`,
        ],
        regressionTest: `Fire 50 concurrent calls of ${fn}() for one ${t.table} row against a real PostgreSQL with ${t.column} = 5: exactly 5 succeed, the rest are refused cleanly, no 23514 is raised and ${t.column} ends at 0.`,
        monitoring: {
          alert: `Sentry alert on any new event with PostgreSQL code 23514 or 23505 in the checkout path (threshold: 1 event in 5 minutes, production), plus a metric alert when 5xx on the endpoint exceed 1% over 5 minutes.`,
          dashboard: `A panel of conflicts per minute (409 "out of stock" vs 500) on the endpoint beside ${t.table}.${t.column} for the hottest keys, and pg_stat_database.deadlocks / lock waits.`,
        },
      };
    }
    case 'resource-leak':
      return {
        ...base,
        longTerm: [
          'Give every listener, timer and cache entry an owner whose cleanup removes it (`off`/`removeListener` in `finally` or on `close`, `{ signal }` with an AbortController per request, `clearInterval` on shutdown, a bounded LRU).',
          'Do not let per-request closures be captured by process-wide emitters or maps.',
        ],
        regressionTest: `Run ${fn} 1,000 times in a test, then assert the emitter's listenerCount (or the map's size) is back to its starting value; a three-snapshot heap check in CI (\`forensics heap diff --fail-on-growth\`) guards the rest.`,
        monitoring: {
          alert:
            'Alert when process heap used grows by more than 20% over an hour at steady traffic, and on any MaxListenersExceededWarning in the logs.',
          dashboard: 'Heap used and RSS per instance, event-loop lag, and active handles over time, with deploy markers.',
        },
      };
    case 'pool-exhaustion':
      return {
        ...base,
        longTerm: [
          'Release pooled clients on every path (`try { … } finally { client.release() }`), prefer `pool.query` for single statements, and set `idle_in_transaction_session_timeout` on the server.',
        ],
        regressionTest:
          'Force the error path of each pool.connect() user 2 × pool.max times in a test and assert the pool still serves a query (totalCount ≤ max, waitingCount = 0).',
        monitoring: {
          alert: 'Alert when pool waitingCount > 0 for 1 minute or "idle in transaction" sessions exceed 5.',
          dashboard: 'Connections by state (pg_stat_activity), pool total/idle/waiting per instance.',
        },
      };
    case 'retry-storm':
      return {
        ...base,
        longTerm: [
          'Cap retries (e.g. 5 attempts), back off exponentially with full jitter, retry only idempotent operations, and honour Retry-After.',
        ],
        regressionTest: 'Point the client at a server that always answers 503 and assert it gives up after the cap with increasing delays.',
        monitoring: {
          alert: 'Alert on outbound request rate per upstream doubling within 10 minutes.',
          dashboard: 'Outbound calls, attempts per request id and upstream status codes.',
        },
      };
    case 'slow-query': {
      const index = target ? `\`CREATE INDEX CONCURRENTLY ON ${target.table} (${target.column})\`` : 'the index the plan points to';
      const loop = insideLoop(evidence);
      return {
        ...base,
        longTerm: [
          ...(loop
            ? [
                `The failing statement runs once per row of a loop in ${fn}() (N+1): fetch the rows in one statement with a JOIN (or \`= ANY($1)\` over the keys).`,
              ]
            : []),
          `Add ${index} so the lookup stops scanning the whole table; check it with EXPLAIN (no ANALYZE on production).`,
          'Keep statement_timeout on the service role: it turned a slow page into a fast error.',
        ],
        regressionTest:
          'An EXPLAIN-based test on a realistic data volume that fails when the statement uses a sequential scan on the large table.',
        monitoring: {
          alert: 'Alert when the statement’s mean time in pg_stat_statements exceeds its budget (e.g. 100 ms) for 10 minutes.',
          dashboard: 'Top statements by total time and calls per second, with plan changes marked.',
        },
      };
    }
    case 'oversized-payload':
      return {
        ...base,
        longTerm: [
          `Stop carrying the whole payload through ${fn}(): keep large blobs out of the state (store them once and pass a reference), persist only what changed, and never re-parse or re-serialise the full state per step.`,
          'Cap payload sizes at the boundary with a clear, early error instead of failing deep inside JSON.',
        ],
        regressionTest: `Run ${fn}() with a 50 MB input through every step and assert it finishes within its time and memory budget, and that the persisted state stays bounded.`,
        monitoring: {
          alert:
            'Alert when persisted state or request payloads exceed a size budget (e.g. 5 MB) and on RangeError: Invalid string length.',
          dashboard: 'Payload and persisted-state size percentiles per step, with step duration and heap used.',
        },
      };
    default:
      return {
        ...base,
        longTerm: ['Fix the failing code path and add a test with the input that triggered it.'],
        regressionTest: `A unit test that calls ${fn} with the event's inputs and asserts a handled, explained outcome.`,
        monitoring: {
          alert: 'Sentry alert on new events of this issue after the fix ships (regression).',
          dashboard: 'Error rate of the endpoint with deploy markers.',
        },
      };
  }
}
