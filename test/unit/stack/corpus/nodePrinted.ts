// What Node's uncaught-exception printer and util.inspect add around a trace: the source
// excerpt above a SyntaxError, printed error properties, `[cause]` blocks, multi-line messages.
import { lines, type CorpusTrace } from './types';
import { loaderTail, loaderTailText } from './node';

export const nodePrintedTraces: CorpusTrace[] = [
  {
    family: 'node', name: 'ECONNREFUSED from node:net with a printed error object',
    text: lines(
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {',
      '  errno: -111,',
      "  code: 'ECONNREFUSED',",
      "  syscall: 'connect',",
      "  address: '127.0.0.1',",
      '  port: 5432',
      '}',
    ),
    exceptions: [{ type: 'Error', value: 'connect ECONNREFUSED 127.0.0.1:5432', frames: [['TCPConnectWrap.afterConnect [as oncomplete]', 'node:net', 1607, 16, false]] }],
  },
  {
    family: 'node', name: 'SyntaxError of a CommonJS file: the first line is the culprit',
    text: lines(
      '/srv/app/src/bad.cjs:3',
      'const total = ;',
      '              ^',
      '',
      "SyntaxError: Unexpected token ';'",
      '    at wrapSafe (node:internal/modules/cjs/loader:1469:18)',
      '    at Module._compile (node:internal/modules/cjs/loader:1491:20)',
      '    at Module._load (node:internal/modules/cjs/loader:1127:12)',
      '',
      'Node.js v22.3.0',
    ),
    exceptions: [{ type: 'SyntaxError', value: "Unexpected token ';'", frames: [
      ['?', '/srv/app/src/bad.cjs', 3, 15, true],
      ['wrapSafe', 'node:internal/modules/cjs/loader', 1469, 18, false],
      ['Module._compile', 'node:internal/modules/cjs/loader', 1491, 20, false],
      ['Module._load', 'node:internal/modules/cjs/loader', 1127, 12, false],
    ] }],
  },
  {
    family: 'node', name: 'SyntaxError of an ES module (file:// first line)',
    text: lines(
      'file:///srv/app/src/bad.mjs:2',
      'export const x = y z;',
      '                   ^',
      '',
      "SyntaxError: Unexpected identifier 'z'",
      '    at compileSourceTextModule (node:internal/modules/esm/utils:340:16)',
      '    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:146:18)',
    ),
    exceptions: [{ type: 'SyntaxError', frames: [
      ['?', '/srv/app/src/bad.mjs', 2, 20, true],
      ['compileSourceTextModule', 'node:internal/modules/esm/utils', 340, 16, false],
      ['ModuleLoader.moduleStrategy', 'node:internal/modules/esm/translators', 146, 18, false],
    ] }],
  },
  {
    family: 'node', name: 'uncaught throw with the source excerpt: no duplicate frame',
    text: lines('/srv/app/server.js:12', "    throw new Error('boom');", '    ^', '', 'Error: boom', '    at Object.<anonymous> (/srv/app/server.js:12:11)', ...loaderTailText.slice(0, 2)),
    exceptions: [{ type: 'Error', value: 'boom', frames: [['Object.?', '/srv/app/server.js', 12, 11, true], ...loaderTail.slice(0, 2)] }],
  },
  {
    family: 'node', name: 'MODULE_NOT_FOUND with a Require stack message',
    text: lines(
      'node:internal/modules/cjs/loader:1228',
      '  throw err;',
      '  ^',
      '',
      "Error: Cannot find module './db'",
      'Require stack:',
      '- /srv/app/src/index.js',
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
      '    at Module._load (node:internal/modules/cjs/loader:1051:27)',
      '    at Module.require (node:internal/modules/cjs/loader:1311:19)',
      '    at require (node:internal/modules/helpers:179:18)',
      '    at Object.<anonymous> (/srv/app/src/index.js:3:12) {',
      "  code: 'MODULE_NOT_FOUND',",
      "  requireStack: [ '/srv/app/src/index.js' ]",
      '}',
    ),
    exceptions: [{ type: 'Error', value: "Cannot find module './db'", frames: [
      ['Module._resolveFilename', 'node:internal/modules/cjs/loader', 1225, 15, false],
      ['Module._load', 'node:internal/modules/cjs/loader', 1051, 27, false],
      ['Module.require', 'node:internal/modules/cjs/loader', 1311, 19, false],
      ['require', 'node:internal/modules/helpers', 179, 18, false],
      ['Object.?', '/srv/app/src/index.js', 3, 12, true],
    ] }],
  },
  {
    family: 'node', name: 'util.inspect output with a [cause] block',
    text: lines(
      'Error: payment failed',
      '    at charge (/srv/app/src/pay.js:20:11)',
      '    at async checkout (/srv/app/src/checkout.js:8:3) {',
      '  [cause]: TypeError: fetch failed',
      '      at node:internal/deps/undici/undici:13502:13',
      '      at async charge (/srv/app/src/pay.js:15:17)',
      '}',
    ),
    exceptions: [
      { type: 'Error', value: 'payment failed', frames: [['charge', '/srv/app/src/pay.js', 20, 11, true], ['checkout', '/srv/app/src/checkout.js', 8, 3, true]] },
      { type: 'TypeError', value: 'fetch failed', frames: [['?', 'node:internal/deps/undici/undici', 13502, 13, false], ['charge', '/srv/app/src/pay.js', 15, 17, true]] },
    ],
  },
  {
    family: 'node', name: 'assertion error with a multi-line message',
    text: lines(
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      '',
      '1 !== 2',
      '',
      '    at Context.<anonymous> (/srv/app/test/cart.test.js:14:12)',
      '    at process.processImmediate (node:internal/timers:478:21)',
    ),
    exceptions: [{ type: 'AssertionError [ERR_ASSERTION]', value: 'Expected values to be strictly equal:', frames: [
      ['Context.?', '/srv/app/test/cart.test.js', 14, 12, true],
      ['process.processImmediate', 'node:internal/timers', 478, 21, false],
    ] }],
  },
  {
    family: 'node', name: 'UnhandledPromiseRejectionWarning header with (node:PID)',
    text: lines('(node:4242) UnhandledPromiseRejectionWarning: Error: no db', '    at connect (/srv/app/src/db.js:3:9)'),
    exceptions: [{ value: 'no db', frames: [['connect', '/srv/app/src/db.js', 3, 9, true]] }],
  },
  {
    family: 'node', name: 'Caused by: chains (VError / Java-like printers)',
    text: lines('Error: outer', '    at a (/srv/app/a.js:1:1)', 'Caused by: Error: inner', '    at b (/srv/app/b.js:2:2)'),
    exceptions: [{ value: 'outer', frames: [['a', '/srv/app/a.js', 1, 1, true]] }, { value: 'inner', frames: [['b', '/srv/app/b.js', 2, 2, true]] }],
  },
  {
    family: 'node', name: 'AggregateError from util.inspect with [errors]',
    text: lines(
      'AggregateError: All promises were rejected',
      '    at async Promise.any (index 0)',
      '    at async pickMirror (/srv/app/src/mirrors.js:3:3) {',
      '  [errors]: [',
      '    Error: mirror a down',
      '        at /srv/app/src/mirrors.js:1:30',
      '    Error: mirror b down',
      '        at /srv/app/src/mirrors.js:2:30',
      '  ]',
      '}',
    ),
    exceptions: [
      { type: 'AggregateError', frames: [['Promise.any', 'index 0', undefined, undefined, false], ['pickMirror', '/srv/app/src/mirrors.js', 3, 3, true]] },
      { value: 'mirror a down', frames: [['?', '/srv/app/src/mirrors.js', 1, 30, true]] },
      { value: 'mirror b down', frames: [['?', '/srv/app/src/mirrors.js', 2, 30, true]] },
    ],
  },
];
