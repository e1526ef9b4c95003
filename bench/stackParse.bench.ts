// Raw trace parsing: the whole trace corpus (test/unit/stack/corpus) parsed many times, and
// generated logs of 12.5 to 50 MB with traces inside (docker compose prefixes, JSON lines,
// prose, long lines) to show the cost per megabyte stays flat as the input grows.
// BENCH_CORPUS_ROUNDS and BENCH_LOG_MB change the sizes.
import { corpus } from '../test/unit/stack/corpus';
import { parseStackTrace } from '../src/core/stack/parseTrace';
import { ms, seededRandom, timeOnce, type BenchReport } from './lib/types';

const ROUNDS = Number(process.env.BENCH_CORPUS_ROUNDS ?? 200);
const LOG_MB = Number(process.env.BENCH_LOG_MB ?? 50);

/** A log of about `mb` megabytes: service chatter with a Node trace, a JSON error line and a long line now and then. */
function generateLog(mb: number): { text: string; traces: number } {
  const rnd = seededRandom(11);
  const lines: string[] = [];
  let size = 0;
  let traces = 0;
  while (size < mb * 1_000_000) {
    const r = rnd();
    let chunk: string[];
    if (r < 0.02) {
      traces++;
      chunk = [
        "web-1  | TypeError: Cannot read properties of undefined (reading 'sku')",
        ...Array.from({ length: 8 }, (_, i) => `web-1  |     at fn${i} (/srv/app/src/module${i}.js:${i + 10}:${i + 3})`),
        'web-1  |     at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ];
    } else if (r < 0.03) {
      traces++;
      chunk = [
        JSON.stringify({
          level: 50,
          time: 1796342400000,
          err: {
            type: 'Error',
            message: 'boom',
            stack: 'Error: boom\n    at run (/srv/app/src/run.js:3:9)\n    at main (/srv/app/src/main.js:1:1)',
          },
          msg: 'boom',
        }),
      ];
    } else if (r < 0.035) {
      chunk = [`web-1  | ${'payload '.repeat(500)}`];
    } else {
      chunk = [`web-1  | info: GET /cart/${Math.floor(rnd() * 1e6)} 200 at ${Math.floor(rnd() * 100)}ms`];
    }
    for (const l of chunk) {
      lines.push(l);
      size += l.length + 1;
    }
  }
  return { text: lines.join('\n'), traces };
}

export async function run(): Promise<BenchReport> {
  const corpusChars = corpus.reduce((n, e) => n + e.text.length, 0);
  for (const e of corpus) parseStackTrace(e.text); // warm up
  const corpusRun = await timeOnce(() => {
    let frames = 0;
    for (let i = 0; i < ROUNDS; i++) for (const e of corpus) for (const x of parseStackTrace(e.text)) frames += x.frames.length;
    return frames;
  });
  const tracesPerSecond = (ROUNDS * corpus.length) / (corpusRun.ms / 1000);

  const rows: Record<string, string | number>[] = [];
  const perMb: number[] = [];
  for (const mb of [LOG_MB / 4, LOG_MB / 2, LOG_MB]) {
    const log = generateLog(mb);
    // The best of three: the machine is shared, and the slowest runs measure the neighbours.
    let parsed = { ms: Infinity, value: [] as ReturnType<typeof parseStackTrace> };
    for (let i = 0; i < 3; i++) {
      global.gc?.();
      const t = await timeOnce(() => parseStackTrace(log.text));
      if (t.ms < parsed.ms) parsed = t;
    }
    const found = parsed.value.length;
    if (found !== log.traces) throw new Error(`${mb} MB log: ${found} exceptions found, ${log.traces} written`);
    const realMb = log.text.length / 1_000_000;
    perMb.push(parsed.ms / realMb);
    rows.push({
      log: `${realMb.toFixed(1)} MB`,
      traces: log.traces,
      'best of 3': ms(parsed.ms, 0),
      'MB/s': (realMb / (parsed.ms / 1000)).toFixed(1),
      'ms per MB': (parsed.ms / realMb).toFixed(1),
    });
  }
  const flat = Math.max(...perMb) / Math.min(...perMb);

  return {
    name: 'stackParse',
    setup: `${corpus.length} corpus traces (${corpusChars.toLocaleString('en-US')} characters) parsed ${ROUNDS} times; generated docker-compose logs of ${LOG_MB / 4}, ${LOG_MB / 2} and ${LOG_MB} MB with a trace in ~3% of entries (prefixed Node traces and pino JSON lines), checked for the number of exceptions found.`,
    tables: [
      {
        title: 'Trace corpus',
        rows: [
          {
            traces: ROUNDS * corpus.length,
            frames: corpusRun.value,
            time: ms(corpusRun.ms, 0),
            'traces/s': Math.round(tracesPerSecond).toLocaleString('en-US'),
            'µs per trace': ((corpusRun.ms * 1000) / (ROUNDS * corpus.length)).toFixed(1),
          },
        ],
      },
      { title: 'Logs with traces inside', rows },
    ],
    summary: [
      `corpus: ${Math.round(tracesPerSecond).toLocaleString('en-US')} traces/s`,
      `logs: ${rows.at(-1)?.['MB/s']} MB/s at ${LOG_MB} MB; cost per MB varies ${flat.toFixed(2)}x from ${LOG_MB / 4} to ${LOG_MB} MB (${flat < 1.5 ? 'linear' : 'NOT linear'})`,
    ],
  };
}
