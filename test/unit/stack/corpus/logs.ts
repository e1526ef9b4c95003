// Traces as they arrive from logs: every line behind a prefix that docker compose,
// kubectl, journald, Heroku, pm2, CloudWatch or a timestamping logger adds, and JSON log
// lines (pino, winston, bunyan, ECS, Cloud Logging, Lambda) whose fields hold the stack.
import { lines, type CorpusTrace, type ExpectedException } from './types';

interface Base {
  readonly name: string;
  readonly text: string[];
  readonly exceptions: ExpectedException[];
}

const bases: Base[] = [
  {
    name: 'async TypeError',
    text: [
      "TypeError: Cannot read properties of undefined (reading 'sku')",
      '    at priceOf (/srv/app/src/pricing.js:17:23)',
      '    at async Promise.all (index 0)',
      '    at async quote (/srv/app/src/quote.js:9:18)',
    ],
    exceptions: [{ type: 'TypeError', value: "Cannot read properties of undefined (reading 'sku')", frames: [
      ['priceOf', '/srv/app/src/pricing.js', 17, 23, true],
      ['Promise.all', 'index 0', undefined, undefined, false],
      ['quote', '/srv/app/src/quote.js', 9, 18, true],
    ] }],
  },
  {
    name: 'ECONNREFUSED with printed properties',
    text: [
      'Error: connect ECONNREFUSED 10.0.3.7:6379',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
      '    at connectRedis (/srv/app/src/cache.js:4:9) {',
      "  code: 'ECONNREFUSED',",
      '  port: 6379',
      '}',
    ],
    exceptions: [{ type: 'Error', value: 'connect ECONNREFUSED 10.0.3.7:6379', frames: [
      ['TCPConnectWrap.afterConnect [as oncomplete]', 'node:net', 1607, 16, false],
      ['connectRedis', '/srv/app/src/cache.js', 4, 9, true],
    ] }],
  },
  {
    name: '[cause] block',
    text: [
      'Error: order 17 failed',
      '    at placeOrder (/srv/app/src/orders.js:31:11) {',
      '  [cause]: Error: insufficient stock',
      '      at reserve (/srv/app/src/stock.js:8:13)',
      '      at placeOrder (/srv/app/src/orders.js:27:5)',
      '}',
    ],
    exceptions: [
      { type: 'Error', value: 'order 17 failed', frames: [['placeOrder', '/srv/app/src/orders.js', 31, 11, true]] },
      { type: 'Error', value: 'insufficient stock', frames: [['reserve', '/srv/app/src/stock.js', 8, 13, true], ['placeOrder', '/srv/app/src/orders.js', 27, 5, true]] },
    ],
  },
];

const pad = (n: number) => String(n).padStart(2, '0');
/** How each log source prefixes line i of an excerpt. */
const prefixes: Record<string, (i: number) => string> = {
  'docker compose v1': () => 'web_1      | ',
  'docker compose v2': () => 'api-1  | ',
  'timestamp and level, seconds ticking': (i) => `2026-12-01T10:00:${pad(i)}Z ERROR `,
  'kubectl logs --timestamps': (i) => `2026-12-01T10:00:00.${String(123456789 + i * 1000)}Z `,
  'kubectl logs --prefix': () => '[pod/api-7d9f8b-xk2lp/api] ',
  'journald short': () => 'Dec 01 10:00:00 web-01 node[4242]: ',
  'Heroku router-style': () => '2026-12-01T10:00:00.000000+00:00 app[web.1]: ',
  'pm2 logs': () => '0|api      | ',
  'CloudWatch Lambda (tab-separated)': () => '2026-12-01T10:00:00.000Z\t6a1f3c2e-0b9d-4c1e-9f2a-1234567890ab\tERROR\t',
  'GitHub Actions log': (i) => `2026-12-01T10:00:0${i % 10}.1234567Z `,
};

const prefixed: CorpusTrace[] = Object.entries(prefixes).flatMap(([style, prefix]) =>
  bases.map((b): CorpusTrace => ({
    family: 'log-prefix',
    name: `${style}: ${b.name}`,
    text: lines(...b.text.map((l, i) => prefix(i) + l)),
    exceptions: b.exceptions,
  })),
);

const extraPrefixed: CorpusTrace[] = [
  {
    family: 'log-prefix', name: 'docker compose: interleaved with another service and info lines',
    text: lines(
      'db-1   | LOG:  checkpoint starting: time',
      'web-1  | info: GET /cart 200',
      'web-1  | Error: cart 9 missing',
      'web-1  |     at loadCart (/srv/app/src/cart.js:12:11)',
      'db-1   | LOG:  checkpoint complete',
      'web-1  |     at async handler (/srv/app/src/routes.js:40:7)',
    ),
    exceptions: [{ type: 'Error', value: 'cart 9 missing', frames: [['loadCart', '/srv/app/src/cart.js', 12, 11, true], ['handler', '/srv/app/src/routes.js', 40, 7, true]] }],
  },
  {
    family: 'log-prefix', name: 'timestamped multi-line message',
    text: lines(
      '2026-12-01T10:00:00Z ERROR AggregateError: 2 errors',
      '2026-12-01T10:00:00Z ERROR first failed',
      '2026-12-01T10:00:00Z ERROR     at flush (/srv/app/src/queue.js:50:15)',
    ),
    exceptions: [{ type: 'AggregateError', value: '2 errors', frames: [['flush', '/srv/app/src/queue.js', 50, 15, true]] }],
  },
  {
    family: 'log-prefix', name: 'a single prefixed frame under its header',
    text: lines('api-1  | RangeError: bad page size', 'api-1  |     at paginate (/srv/app/src/page.js:3:9)'),
    exceptions: [{ type: 'RangeError', frames: [['paginate', '/srv/app/src/page.js', 3, 9, true]] }],
  },
];

const stackOf = (b: Base) => b.text.join('\n');
const [asyncBase, connBase] = bases;
const causeStack = [
  'Error: payment declined',
  '    at charge (/srv/app/src/pay.js:20:11)',
  '    at async checkout (/srv/app/src/checkout.js:8:3)',
  'caused by: TypeError: fetch failed',
  '    at node:internal/deps/undici/undici:13502:13',
  '    at async charge (/srv/app/src/pay.js:15:17)',
].join('\n');
const causeExceptions: ExpectedException[] = [
  { type: 'Error', value: 'payment declined', frames: [['charge', '/srv/app/src/pay.js', 20, 11, true], ['checkout', '/srv/app/src/checkout.js', 8, 3, true]] },
  { type: 'TypeError', value: 'fetch failed', frames: [['?', 'node:internal/deps/undici/undici', 13502, 13, false], ['charge', '/srv/app/src/pay.js', 15, 17, true]] },
];
const pinoLine = (err: object, msg: string) => JSON.stringify({ level: 50, time: 1796342400000, pid: 4242, hostname: 'web-01', err, msg });

const jsonLogs: CorpusTrace[] = [
  {
    family: 'json-log', name: 'pino err with a caused by: chain',
    text: pinoLine({ type: 'Error', message: 'payment declined: fetch failed', stack: causeStack }, 'checkout failed'),
    exceptions: causeExceptions,
  },
  {
    family: 'json-log', name: 'pino err among other JSON lines',
    text: lines(
      JSON.stringify({ level: 30, time: 1796342399000, pid: 4242, hostname: 'web-01', msg: 'GET /quote' }),
      pinoLine({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'sku')", stack: stackOf(asyncBase) }, 'quote failed'),
      JSON.stringify({ level: 30, time: 1796342401000, pid: 4242, hostname: 'web-01', msg: 'GET /health' }),
    ),
    exceptions: asyncBase.exceptions,
  },
  {
    family: 'json-log', name: 'winston json with errors({ stack: true })',
    text: JSON.stringify({ level: 'error', message: 'connect ECONNREFUSED 10.0.3.7:6379', stack: connBase.text.slice(0, 3).map((l) => l.replace(/ \{$/, '')).join('\n'), timestamp: '2026-12-01T10:00:00.000Z' }),
    exceptions: connBase.exceptions,
  },
  {
    family: 'json-log', name: 'bunyan err',
    text: JSON.stringify({ name: 'api', hostname: 'web-01', pid: 4242, level: 50, err: { message: 'payment declined', name: 'Error', stack: causeStack.split('\ncaused by')[0] }, msg: 'payment declined', time: '2026-12-01T10:00:00.000Z', v: 0 }),
    exceptions: causeExceptions.slice(0, 1),
  },
  {
    family: 'json-log', name: 'Lambda Invoke Error with the stack as an array of lines',
    text: `2026-12-01T10:00:00.000Z\t6a1f3c2e-0b9d-4c1e-9f2a-1234567890ab\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'TypeError', errorMessage: "Cannot read properties of undefined (reading 'sku')", stack: asyncBase.text })}`,
    exceptions: asyncBase.exceptions,
  },
  {
    family: 'json-log', name: 'pino line behind a docker compose prefix',
    text: `api-1  | ${pinoLine({ type: 'Error', message: 'payment declined: fetch failed', stack: causeStack }, 'checkout failed')}`,
    exceptions: causeExceptions,
  },
  {
    family: 'json-log', name: 'pino line behind kubectl --timestamps',
    text: `2026-12-01T10:00:00.123456789Z ${pinoLine({ type: 'TypeError', message: 'x', stack: stackOf(asyncBase) }, 'quote failed')}`,
    exceptions: asyncBase.exceptions,
  },
  {
    family: 'json-log', name: 'Google Cloud Logging structured entry with the stack in message',
    text: JSON.stringify({ severity: 'ERROR', message: stackOf(asyncBase), 'logging.googleapis.com/trace': 'projects/p/traces/abc' }),
    exceptions: asyncBase.exceptions,
  },
  {
    family: 'json-log', name: 'Elastic Common Schema error.stack_trace',
    text: JSON.stringify({ '@timestamp': '2026-12-01T10:00:00.000Z', 'log.level': 'error', message: 'quote failed', error: { type: 'TypeError', message: 'x', stack_trace: stackOf(asyncBase) } }),
    exceptions: asyncBase.exceptions,
  },
  {
    family: 'json-log', name: 'JSON line with unicode and escaped quotes in the message',
    text: JSON.stringify({ level: 50, msg: 'échec "commande"', err: { type: 'Error', message: 'commande « 17 » refusée', stack: 'Error: commande « 17 » refusée\n    at valider (/srv/app/src/commande.js:5:9)' } }),
    exceptions: [{ type: 'Error', value: 'commande « 17 » refusée', frames: [['valider', '/srv/app/src/commande.js', 5, 9, true]] }],
  },
  {
    family: 'json-log', name: 'pino errWithCause: the cause as a nested object with its own stack',
    text: pinoLine({ type: 'Error', message: 'payment declined', stack: causeStack.split('\ncaused by')[0], cause: { type: 'TypeError', message: 'fetch failed', stack: `TypeError: fetch failed\n${causeStack.split('\n').slice(4).join('\n')}` } }, 'checkout failed'),
    exceptions: causeExceptions,
  },
  {
    family: 'json-log', name: 'pino-pretty output with the stack unquoted',
    text: lines(
      '[10:00:00.000] ERROR (4242): checkout failed',
      '    err: {',
      '      "type": "Error",',
      '      "message": "payment declined: fetch failed",',
      '      "stack":',
      ...causeStack.split('\n').map((l) => `          ${l}`),
      '    }',
    ),
    exceptions: causeExceptions,
  },
];

export const logTraces: CorpusTrace[] = [...prefixed, ...extraPrefixed, ...jsonLogs];
