// Node.js traces as `err.stack` and the uncaught-exception printer write them.
import { lines, type CorpusTrace, type ExpectedFrame } from './types';

export const loaderTail: ExpectedFrame[] = [
  ['Module._compile', 'node:internal/modules/cjs/loader', 1521, 14, false],
  ['Module._extensions..js', 'node:internal/modules/cjs/loader', 1623, 10, false],
  ['Module.load', 'node:internal/modules/cjs/loader', 1266, 32, false],
  ['Module._load', 'node:internal/modules/cjs/loader', 1091, 12, false],
  ['Function.executeUserEntryPoint [as runMain]', 'node:internal/modules/run_main', 164, 12, false],
  ['?', 'node:internal/main/run_main_module', 28, 49, false],
];
export const loaderTailText = [
  '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
  '    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)',
  '    at Module.load (node:internal/modules/cjs/loader:1266:32)',
  '    at Module._load (node:internal/modules/cjs/loader:1091:12)',
  '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)',
  '    at node:internal/main/run_main_module:28:49',
];

export const nodeTraces: CorpusTrace[] = [
  {
    family: 'node', name: 'TypeError at module top level, Object.<anonymous>',
    text: lines("TypeError: Cannot read properties of undefined (reading 'id')", '    at Object.<anonymous> (/srv/app/src/index.js:14:22)', ...loaderTailText),
    exceptions: [{ type: 'TypeError', value: "Cannot read properties of undefined (reading 'id')", frames: [['Object.?', '/srv/app/src/index.js', 14, 22, true], ...loaderTail] }],
  },
  {
    family: 'node', name: 'async functions and Promise.all (index 0)',
    text: lines(
      'Error: user 42 not found',
      '    at getUser (/srv/app/src/users.js:12:11)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at async Promise.all (index 0)',
      '    at async loadPage (/srv/app/src/page.js:30:20)',
    ),
    exceptions: [{ type: 'Error', value: 'user 42 not found', frames: [
      ['getUser', '/srv/app/src/users.js', 12, 11, true],
      ['process.processTicksAndRejections', 'node:internal/process/task_queues', 95, 5, false],
      ['Promise.all', 'index 0', undefined, undefined, false],
      ['loadPage', '/srv/app/src/page.js', 30, 20, true],
    ] }],
  },
  {
    family: 'node', name: 'constructors with new and <anonymous> natives',
    text: lines(
      'RangeError: stock went negative',
      '    at new Inventory (/srv/app/src/inventory.js:8:13)',
      '    at Array.map (<anonymous>)',
      '    at new Promise (<anonymous>)',
      '    at makeStore (/srv/app/src/store.js:3:10)',
    ),
    exceptions: [{ type: 'RangeError', frames: [
      ['new Inventory', '/srv/app/src/inventory.js', 8, 13, true],
      ['Array.map', '<anonymous>', undefined, undefined, false],
      ['new Promise', '<anonymous>', undefined, undefined, false],
      ['makeStore', '/srv/app/src/store.js', 3, 10, true],
    ] }],
  },
  {
    family: 'node', name: 'express layers with [as handle_request]',
    text: lines(
      "TypeError: Cannot read properties of null (reading 'total')",
      '    at checkout (/srv/app/src/routes/checkout.js:41:29)',
      '    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
      '    at next (/srv/app/node_modules/express/lib/router/route.js:149:13)',
      '    at Route.dispatch (/srv/app/node_modules/express/lib/router/route.js:119:3)',
      '    at /srv/app/node_modules/express/lib/router/index.js:284:15',
    ),
    exceptions: [{ frames: [
      ['checkout', '/srv/app/src/routes/checkout.js', 41, 29, true],
      ['Layer.handle [as handle_request]', '/srv/app/node_modules/express/lib/router/layer.js', 95, 5, false],
      ['next', '/srv/app/node_modules/express/lib/router/route.js', 149, 13, false],
      ['Route.dispatch', '/srv/app/node_modules/express/lib/router/route.js', 119, 3, false],
      ['?', '/srv/app/node_modules/express/lib/router/index.js', 284, 15, false],
    ] }],
  },
  {
    family: 'node', name: 'pg pool error with async anonymous frames',
    text: lines(
      'error: duplicate key value violates unique constraint "orders_pkey"',
      '    at /srv/app/node_modules/pg-pool/index.js:45:11',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at async /srv/app/src/db/orders.js:22:5',
      '    at async createOrder (/srv/app/src/orders.js:10:3)',
    ),
    exceptions: [{ type: 'error', frames: [
      ['?', '/srv/app/node_modules/pg-pool/index.js', 45, 11, false],
      ['process.processTicksAndRejections', 'node:internal/process/task_queues', 95, 5, false],
      ['?', '/srv/app/src/db/orders.js', 22, 5, true],
      ['createOrder', '/srv/app/src/orders.js', 10, 3, true],
    ] }],
  },
  {
    family: 'node', name: 'Windows paths, backslashed node_modules',
    text: lines(
      'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string. Received undefined',
      '    at Object.join (node:path:478:7)',
      '    at loadConfig (C:\\Users\\dev\\shop\\src\\config.js:7:19)',
      '    at Object.<anonymous> (C:\\Users\\dev\\shop\\node_modules\\dotenv-flow\\index.js:3:1)',
    ),
    exceptions: [{ type: 'TypeError [ERR_INVALID_ARG_TYPE]', frames: [
      ['Object.join', 'node:path', 478, 7, false],
      ['loadConfig', 'C:\\Users\\dev\\shop\\src\\config.js', 7, 19, true],
      ['Object.?', 'C:\\Users\\dev\\shop\\node_modules\\dotenv-flow\\index.js', 3, 1, false],
    ] }],
  },
  {
    family: 'node', name: 'Windows lower-case drive letter and a path with spaces',
    text: lines('Error: boom', '    at run (c:\\Program Files\\shop api\\server.js:12:5)', '    at main (c:\\Program Files\\shop api\\server.js:20:3)'),
    exceptions: [{ frames: [['run', 'c:\\Program Files\\shop api\\server.js', 12, 5, true], ['main', 'c:\\Program Files\\shop api\\server.js', 20, 3, true]] }],
  },
  {
    family: 'node', name: 'Windows UNC share path',
    text: lines('Error: EPERM: operation not permitted', '    at writeReport (\\\\fileserver\\builds\\shop\\report.js:9:11)'),
    exceptions: [{ frames: [['writeReport', '\\\\fileserver\\builds\\shop\\report.js', 9, 11, true]] }],
  },
  {
    family: 'node', name: 'ES module file:// URLs',
    text: lines(
      'Error: invalid order',
      '    at validate (file:///srv/app/src/validate.mjs:4:11)',
      '    at file:///srv/app/src/main.mjs:9:1',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)',
      '    at async ModuleLoader.import (node:internal/modules/esm/loader:473:24)',
    ),
    exceptions: [{ frames: [
      ['validate', '/srv/app/src/validate.mjs', 4, 11, true],
      ['?', '/srv/app/src/main.mjs', 9, 1, true],
      ['ModuleJob.run', 'node:internal/modules/esm/module_job', 234, 25, false],
      ['ModuleLoader.import', 'node:internal/modules/esm/loader', 473, 24, false],
    ] }],
  },
  {
    family: 'node', name: 'ES module file:// URL on Windows',
    text: lines('Error: invalid order', '    at validate (file:///C:/work/shop/src/validate.mjs:4:11)', '    at file:///C:/work/shop/src/main.mjs:9:1'),
    exceptions: [{ frames: [['validate', 'C:/work/shop/src/validate.mjs', 4, 11, true], ['?', 'C:/work/shop/src/main.mjs', 9, 1, true]] }],
  },
  {
    family: 'node', name: 'Module.<method> from ESM namespaces',
    text: lines('Error: nope', '    at Module.boom (file:///srv/app/lib/thrower.mjs:3:9)', '    at async Promise.allSettled (index 1)'),
    exceptions: [{ frames: [['Module.boom', '/srv/app/lib/thrower.mjs', 3, 9, true], ['Promise.allSettled', 'index 1', undefined, undefined, false]] }],
  },
  {
    family: 'node', name: 'eval frames take the real file of the eval call',
    text: lines(
      'ReferenceError: price is not defined',
      '    at eval (eval at compileRule (/srv/app/src/rules.js:12:10), <anonymous>:1:1)',
      '    at applyRule (/srv/app/src/rules.js:20:5)',
    ),
    exceptions: [{ type: 'ReferenceError', frames: [['eval', '/srv/app/src/rules.js', 12, 10, true], ['applyRule', '/srv/app/src/rules.js', 20, 5, true]] }],
  },
  {
    family: 'node', name: 'nested eval at … (eval at …): the outermost real location',
    text: lines(
      'Error: deep',
      '    at inner (eval at outer (eval at load (/srv/app/src/plugins.js:30:7)), <anonymous>:2:9)',
      '    at eval (eval at load (/srv/app/src/plugins.js:30:7), <anonymous>:5:1)',
      '    at load (/srv/app/src/plugins.js:30:7)',
    ),
    exceptions: [{ frames: [
      ['inner', '/srv/app/src/plugins.js', 30, 7, true],
      ['eval', '/srv/app/src/plugins.js', 30, 7, true],
      ['load', '/srv/app/src/plugins.js', 30, 7, true],
    ] }],
  },
  {
    family: 'node', name: 'frames without a column',
    text: lines('Error: legacy', '    at parseLine (/srv/app/lib/csv.js:88)', '    at Object.<anonymous> (/srv/app/lib/csv.js:120)'),
    exceptions: [{ frames: [['parseLine', '/srv/app/lib/csv.js', 88, undefined, true], ['Object.?', '/srv/app/lib/csv.js', 120, undefined, true]] }],
  },
  {
    family: 'node', name: 'bare <anonymous> frame',
    text: lines('Error: from the REPL', '    at <anonymous>', '    at REPL1:1:7'),
    exceptions: [{ frames: [['?', '<anonymous>', undefined, undefined, false], ['?', 'REPL1', 1, 7, false]] }],
  },
  {
    family: 'node', name: 'TypeScript output with Generator.next and __awaiter',
    text: lines(
      'Error: timeout',
      '    at Timeout._onTimeout (/srv/app/dist/jobs.js:31:19)',
      '    at listOnTimeout (node:internal/timers:573:17)',
      '    at process.processTimers (node:internal/timers:514:7)',
      '    at Generator.next (<anonymous>)',
      '    at fulfilled (/srv/app/dist/jobs.js:5:58)',
    ),
    exceptions: [{ frames: [
      ['Timeout._onTimeout', '/srv/app/dist/jobs.js', 31, 19, true],
      ['listOnTimeout', 'node:internal/timers', 573, 17, false],
      ['process.processTimers', 'node:internal/timers', 514, 7, false],
      ['Generator.next', '<anonymous>', undefined, undefined, false],
      ['fulfilled', '/srv/app/dist/jobs.js', 5, 58, true],
    ] }],
  },
  {
    family: 'node', name: 'event emitter and stream internals',
    text: lines(
      'Error: write EPIPE',
      '    at afterWriteDispatched (node:internal/stream_base_commons:160:15)',
      '    at writeGeneric (node:internal/stream_base_commons:151:3)',
      '    at Socket._writeGeneric (node:net:952:11)',
      '    at Socket.emit (node:events:519:28)',
      '    at emitErrorNT (node:internal/streams/destroy:169:8)',
      '    at Server.<anonymous> (/srv/app/src/server.js:40:9)',
    ),
    exceptions: [{ frames: [
      ['afterWriteDispatched', 'node:internal/stream_base_commons', 160, 15, false],
      ['writeGeneric', 'node:internal/stream_base_commons', 151, 3, false],
      ['Socket._writeGeneric', 'node:net', 952, 11, false],
      ['Socket.emit', 'node:events', 519, 28, false],
      ['emitErrorNT', 'node:internal/streams/destroy', 169, 8, false],
      ['Server.?', '/srv/app/src/server.js', 40, 9, true],
    ] }],
  },
  {
    family: 'node', name: 'old V8 (anonymous function) names with [as x]',
    text: lines(
      'Error: legacy node',
      '    at Foo.(anonymous function) [as bar] (/srv/app/lib/foo.js:10:3)',
      '    at Array.forEach (native)',
      '    at Object.<anonymous> (/srv/app/lib/foo.js:20:1)',
    ),
    exceptions: [{ frames: [
      ['Foo.(anonymous function) [as bar]', '/srv/app/lib/foo.js', 10, 3, true],
      ['Array.forEach', 'native', undefined, undefined, false],
      ['Object.?', '/srv/app/lib/foo.js', 20, 1, true],
    ] }],
  },
  {
    family: 'node', name: 'computed names',
    text: lines('Error: x', '    at Object.<computed> [as get] (/srv/app/src/proxy.js:4:9)', '    at Proxy.method (/srv/app/src/proxy.js:9:2)'),
    exceptions: [{ frames: [['Object.<computed> [as get]', '/srv/app/src/proxy.js', 4, 9, true], ['Proxy.method', '/srv/app/src/proxy.js', 9, 2, true]] }],
  },
  {
    family: 'node', name: 'paths with parentheses (Next.js route groups)',
    text: lines(
      "TypeError: Cannot read properties of undefined (reading 'map')",
      '    at CartPage (/srv/web/.next/server/app/(shop)/cart/page.js:1:2456)',
      '    at renderWithHooks (/srv/web/node_modules/next/dist/compiled/react-dom/cjs/react-dom-server.js:1:99)',
    ),
    exceptions: [{ frames: [
      ['CartPage', '/srv/web/.next/server/app/(shop)/cart/page.js', 1, 2456, true],
      ['renderWithHooks', '/srv/web/node_modules/next/dist/compiled/react-dom/cjs/react-dom-server.js', 1, 99, false],
    ] }],
  },
  {
    family: 'node', name: 'paths with spaces on macOS',
    text: lines('Error: x', '    at run (/Users/ana/My Projects/shop/index.js:3:9)', '    at /Users/ana/My Projects/shop/index.js:8:1'),
    exceptions: [{ frames: [['run', '/Users/ana/My Projects/shop/index.js', 3, 9, true], ['?', '/Users/ana/My Projects/shop/index.js', 8, 1, true]] }],
  },
  {
    family: 'node', name: 'AWS Lambda handler',
    text: lines(
      'Error: table not found',
      '    at Runtime.exports.handler (/var/task/index.js:10:11)',
      '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)',
    ),
    exceptions: [{ frames: [['Runtime.exports.handler', '/var/task/index.js', 10, 11, true], ['Runtime.handleOnceNonStreaming', '/var/runtime/index.mjs', 1173, 29, true]] }],
  },
  {
    family: 'node', name: 'Uncaught prefix and process.<anonymous>',
    text: lines('Uncaught Error: late', '    at process.<anonymous> (/srv/app/src/shutdown.js:7:9)', '    at process.emit (node:events:531:35)'),
    exceptions: [{ type: 'Error', value: 'late', frames: [['process.?', '/srv/app/src/shutdown.js', 7, 9, true], ['process.emit', 'node:events', 531, 35, false]] }],
  },
  {
    family: 'node', name: 'tab-indented frames',
    text: lines('Error: tabbed', '\tat one (/srv/app/a.js:1:5)', '\tat two (/srv/app/b.js:2:6)'),
    exceptions: [{ frames: [['one', '/srv/app/a.js', 1, 5, true], ['two', '/srv/app/b.js', 2, 6, true]] }],
  },
  {
    family: 'node', name: 'Deno file URLs',
    text: lines('error: Uncaught (in promise) Error: denied', '    at readConfig (file:///home/ana/api/config.ts:5:9)', '    at async file:///home/ana/api/main.ts:2:1'),
    exceptions: [{ frames: [['readConfig', '/home/ana/api/config.ts', 5, 9, true], ['?', '/home/ana/api/main.ts', 2, 1, true]] }],
  },
  {
    family: 'node', name: 'relative paths (jest / ts-node style)',
    text: lines('Error: expected 3', '    at Object.<anonymous> (src/__tests__/cart.test.ts:10:5)', '    at Promise.then.completed (node_modules/jest-circus/build/utils.js:298:28)'),
    exceptions: [{ frames: [['Object.?', 'src/__tests__/cart.test.ts', 10, 5], ['Promise.then.completed', 'node_modules/jest-circus/build/utils.js', 298, 28, false]] }],
  },
  {
    family: 'node', name: 'webpack-built server with webpack:/// paths',
    text: lines('Error: config', '    at Object.load (webpack:///./src/config.ts?:12:9)', '    at __webpack_require__ (webpack:///webpack/bootstrap?:19:1)'),
    exceptions: [{ frames: [['Object.load', 'webpack:///./src/config.ts', 12, 9], ['__webpack_require__', 'webpack:///webpack/bootstrap', 19, 1]] }],
  },
  {
    family: 'node', name: 'Electron app.asar',
    text: lines('Error: ipc', '    at IpcMainImpl.<anonymous> (/Applications/Shop.app/Contents/Resources/app.asar/main.js:44:13)', '    at IpcMainImpl.emit (node:events:517:28)'),
    exceptions: [{ frames: [['IpcMainImpl.?', '/Applications/Shop.app/Contents/Resources/app.asar/main.js', 44, 13, true], ['IpcMainImpl.emit', 'node:events', 517, 28, false]] }],
  },
  {
    family: 'node', name: 'Maximum call stack with repeated frames',
    text: lines('RangeError: Maximum call stack size exceeded', ...Array.from({ length: 10 }, () => '    at walk (/srv/app/src/tree.js:5:12)')),
    exceptions: [{ type: 'RangeError', frames: Array.from({ length: 10 }, (): ExpectedFrame => ['walk', '/srv/app/src/tree.js', 5, 12, true]) }],
  },
  {
    family: 'node', name: 'Bun (JSC with V8-style at lines)',
    text: lines('TypeError: undefined is not an object', '      at handler (/srv/bun-app/src/index.ts:8:15)', '      at processTicksAndRejections (native:7:39)'),
    exceptions: [{ frames: [['handler', '/srv/bun-app/src/index.ts', 8, 15, true], ['processTicksAndRejections', 'native', 7, 39, false]] }],
  },
];
