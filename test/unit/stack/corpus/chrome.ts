// Chrome / V8 browser traces (Chrome, Edge Chromium, Opera, Android WebView, Electron renderers).
import { lines, type CorpusTrace } from './types';

const blob = 'blob:http%3A//localhost%3A8080/abfc40e9-4742-44ed-9dcd-af8f99a29379';

export const chromeTraces: CorpusTrace[] = [
  {
    family: 'chrome', name: 'Chrome 15 style: no method',
    text: lines("TypeError: Object #<Object> has no method 'undef'", '    at bar (http://path/to/file.js:13:17)', '    at bar (http://path/to/file.js:16:5)', '    at foo (http://path/to/file.js:20:5)', '    at http://path/to/file.js:24:4'),
    exceptions: [{ type: 'TypeError', frames: [['bar', 'http://path/to/file.js', 13, 17, true], ['bar', 'http://path/to/file.js', 16, 5], ['foo', 'http://path/to/file.js', 20, 5], ['?', 'http://path/to/file.js', 24, 4, true]] }],
  },
  {
    family: 'chrome', name: 'Chrome 36: (anonymous function) [as index]',
    text: lines('Error: Default error', '    at dumpExceptionError (http://localhost:8080/file.js:41:27)', '    at HTMLButtonElement.onclick (http://localhost:8080/file.js:107:146)', '    at I.e.fn.(anonymous function) [as index] (http://localhost:8080/file.js:10:3651)'),
    exceptions: [{ frames: [['dumpExceptionError', 'http://localhost:8080/file.js', 41, 27], ['HTMLButtonElement.onclick', 'http://localhost:8080/file.js', 107, 146], ['I.e.fn.(anonymous function) [as index]', 'http://localhost:8080/file.js', 10, 3651]] }],
  },
  {
    family: 'chrome', name: 'webpack eval devtool: no space before ( and ?-suffixed webpack:/// paths',
    text: lines("TypeError: Cannot read property 'error' of undefined", '   at TESTTESTTEST.eval(webpack:///./src/components/test/test.jsx?:295:108)', '   at TESTTESTTEST.render(webpack:///./src/components/test/test.jsx?:272:32)', '   at TESTTESTTEST.tryRender(webpack:///./~/react-transform-catch-errors/lib/index.js?:34:31)', '   at TESTTESTTEST.proxiedMethod(webpack:///./~/react-proxy/modules/createPrototypeProxy.js?:44:30)'),
    exceptions: [{ frames: [
      ['TESTTESTTEST.eval', 'webpack:///./src/components/test/test.jsx', 295, 108],
      ['TESTTESTTEST.render', 'webpack:///./src/components/test/test.jsx', 272, 32],
      ['TESTTESTTEST.tryRender', 'webpack:///./~/react-transform-catch-errors/lib/index.js', 34, 31],
      ['TESTTESTTEST.proxiedMethod', 'webpack:///./~/react-proxy/modules/createPrototypeProxy.js', 44, 30],
    ] }],
  },
  {
    family: 'chrome', name: 'nested eval: the outermost real location',
    text: lines('Error: message string', '    at baz (eval at foo (eval at speak (http://localhost:8080/file.js:21:17)), <anonymous>:1:30)', '    at foo (eval at speak (http://localhost:8080/file.js:21:17), <anonymous>:2:96)', '    at eval (eval at speak (http://localhost:8080/file.js:21:17), <anonymous>:4:18)', '    at Object.speak (http://localhost:8080/file.js:21:17)', '    at http://localhost:8080/file.js:31:13'),
    exceptions: [{ frames: [['baz', 'http://localhost:8080/file.js', 21, 17], ['foo', 'http://localhost:8080/file.js', 21, 17], ['eval', 'http://localhost:8080/file.js', 21, 17], ['Object.speak', 'http://localhost:8080/file.js', 21, 17], ['?', 'http://localhost:8080/file.js', 31, 13]] }],
  },
  {
    family: 'chrome', name: 'blob URLs and Error (native)',
    text: lines('Error: test', '    at Error (native)', `    at s (${blob}:31:29146)`, `    at Object.d [as add] (${blob}:31:30039)`, '    at blob:http%3A//localhost%3A8080/d4eefe0f-361a-4682-b217-76587d9f712a:15:10978', `    at n.fire (${blob}:7:3019)`),
    exceptions: [{ frames: [['Error', 'native', undefined, undefined, false], ['s', blob, 31, 29146, true], ['Object.d [as add]', blob, 31, 30039], ['?', 'blob:http%3A//localhost%3A8080/d4eefe0f-361a-4682-b217-76587d9f712a', 15, 10978], ['n.fire', blob, 7, 3019]] }],
  },
  {
    family: 'chrome', name: 'Object.<anonymous> and Array.forEach (<anonymous>)',
    text: lines('Error: bad', '    at Object.<anonymous> (https://shop.example.com/static/js/main.4f3a.js:2:4411)', '    at Array.forEach (<anonymous>)', '    at HTMLDocument.<anonymous> (https://shop.example.com/static/js/main.4f3a.js:2:5012)'),
    exceptions: [{ frames: [['Object.<anonymous>', 'https://shop.example.com/static/js/main.4f3a.js', 2, 4411, true], ['Array.forEach', '<anonymous>', undefined, undefined, false], ['HTMLDocument.<anonymous>', 'https://shop.example.com/static/js/main.4f3a.js', 2, 5012, true]] }],
  },
  {
    family: 'chrome', name: 'async frames: async fn (url) and async http://…',
    text: lines('Error: 500 from /api/cart', '    at fetchCart (http://localhost:3000/static/js/api.js:10:11)', '    at async http://localhost:3000/static/js/main.chunk.js:120:5', '    at async Promise.all (index 2)'),
    exceptions: [{ frames: [['fetchCart', 'http://localhost:3000/static/js/api.js', 10, 11], ['?', 'http://localhost:3000/static/js/main.chunk.js', 120, 5, true], ['Promise.all', 'index 2', undefined, undefined, false]] }],
  },
  {
    family: 'chrome', name: 'new constructors',
    text: lines('Error: x', '    at new Cart (https://shop.example.com/app.js:5:11)', '    at new App (https://shop.example.com/app.js:40:16)'),
    exceptions: [{ frames: [['new Cart', 'https://shop.example.com/app.js', 5, 11], ['new App', 'https://shop.example.com/app.js', 40, 16]] }],
  },
  {
    family: 'chrome', name: 'Angular zone.js frames',
    text: lines('Error: Uncaught (in promise): Error: nope', '    at resolvePromise (http://localhost:4200/polyfills.js:1255:31)', '    at ZoneDelegate.invokeTask (http://localhost:4200/polyfills.js:434:35)', '    at Zone.runTask (http://localhost:4200/polyfills.js:205:47)'),
    exceptions: [{ frames: [['resolvePromise', 'http://localhost:4200/polyfills.js', 1255, 31], ['ZoneDelegate.invokeTask', 'http://localhost:4200/polyfills.js', 434, 35], ['Zone.runTask', 'http://localhost:4200/polyfills.js', 205, 47]] }],
  },
  {
    family: 'chrome', name: 'webpack-internal:/// with a Next.js layer',
    text: lines("TypeError: Cannot read properties of undefined (reading 'price')", '    at eval (webpack-internal:///(app-pages-browser)/./src/app/page.tsx:15:11)', '    at Array.map (<anonymous>)', '    at Page (webpack-internal:///(app-pages-browser)/./src/app/page.tsx:14:25)'),
    exceptions: [{ frames: [['eval', 'webpack-internal:///(app-pages-browser)/./src/app/page.tsx', 15, 11, true], ['Array.map', '<anonymous>', undefined, undefined, false], ['Page', 'webpack-internal:///(app-pages-browser)/./src/app/page.tsx', 14, 25, true]] }],
  },
  {
    family: 'chrome', name: 'webpack eval devtool with a hash query',
    text: lines('Error: x', '    at eval (webpack:///./src/App.jsx?a1b2:12:5)', '    at Module../src/App.jsx (http://localhost:8080/main.js:10:1)'),
    exceptions: [{ frames: [['eval', 'webpack:///./src/App.jsx', 12, 5], ['Module../src/App.jsx', 'http://localhost:8080/main.js', 10, 1]] }],
  },
  {
    family: 'chrome', name: 'vite dev server query kept on http URLs',
    text: lines('Error: x', '    at App (http://localhost:5173/src/App.tsx?t=1700000000000:12:9)', '    at renderWithHooks (http://localhost:5173/node_modules/.vite/deps/chunk-ABC.js?v=9d1:11548:26)'),
    exceptions: [{ frames: [['App', 'http://localhost:5173/src/App.tsx?t=1700000000000', 12, 9, true], ['renderWithHooks', 'http://localhost:5173/node_modules/.vite/deps/chunk-ABC.js?v=9d1', 11548, 26, false]] }],
  },
  {
    family: 'chrome', name: 'frames without a column',
    text: lines('Error: x', '    at foo (http://example.com/a.js:10)', '    at http://example.com/a.js:20'),
    exceptions: [{ frames: [['foo', 'http://example.com/a.js', 10, undefined], ['?', 'http://example.com/a.js', 20, undefined]] }],
  },
  {
    family: 'chrome', name: 'console code at <anonymous>:1:7',
    text: lines('ReferenceError: foo is not defined', '    at <anonymous>:1:7'),
    exceptions: [{ type: 'ReferenceError', frames: [['?', '<anonymous>', 1, 7, false]] }],
  },
  {
    family: 'chrome', name: 'eval at <anonymous> inside a script',
    text: lines('Error: x', '    at eval (eval at <anonymous> (https://example.com/a.js:3:5), <anonymous>:1:1)', '    at https://example.com/a.js:3:5'),
    exceptions: [{ frames: [['eval', 'https://example.com/a.js', 3, 5], ['?', 'https://example.com/a.js', 3, 5]] }],
  },
  {
    family: 'chrome', name: 'Opera 25 (Chromium)',
    text: lines("TypeError: Cannot read property 'undef' of null", '    at http://path/to/file.js:47:22', '    at foo (http://path/to/file.js:52:15)', '    at bar (http://path/to/file.js:108:168)'),
    exceptions: [{ frames: [['?', 'http://path/to/file.js', 47, 22], ['foo', 'http://path/to/file.js', 52, 15], ['bar', 'http://path/to/file.js', 108, 168]] }],
  },
  {
    family: 'chrome', name: 'Android WebView with an index.html script',
    text: lines('Error: test', '    at Object.a.onclick (http://localhost:8080/index.html:1:17)', '    at HTMLAnchorElement.dispatch (http://localhost:8080/jquery.js:3:8436)'),
    exceptions: [{ frames: [['Object.a.onclick', 'http://localhost:8080/index.html', 1, 17], ['HTMLAnchorElement.dispatch', 'http://localhost:8080/jquery.js', 3, 8436]] }],
  },
  {
    family: 'chrome', name: 'extension URLs',
    text: lines('Error: x', '    at chrome-extension://abcdefghijklmnop/content.js:1:2', '    at onMessage (chrome-extension://abcdefghijklmnop/bg.js:5:7)'),
    exceptions: [{ frames: [['?', 'chrome-extension://abcdefghijklmnop/content.js', 1, 2], ['onMessage', 'chrome-extension://abcdefghijklmnop/bg.js', 5, 7]] }],
  },
  {
    family: 'chrome', name: 'Generator.next and Promise.then in transpiled code',
    text: lines('Error: x', '    at step (https://example.com/bundle.js:1:900)', '    at Generator.next (<anonymous>)', '    at https://example.com/bundle.js:1:400'),
    exceptions: [{ frames: [['step', 'https://example.com/bundle.js', 1, 900], ['Generator.next', '<anonymous>', undefined, undefined, false], ['?', 'https://example.com/bundle.js', 1, 400]] }],
  },
  {
    family: 'chrome', name: 'URL with parentheses in the path',
    text: lines('Error: x', '    at render (https://example.com/assets/(group)/page-1a2b.js:3:44)'),
    exceptions: [{ frames: [['render', 'https://example.com/assets/(group)/page-1a2b.js', 3, 44]] }],
  },
  {
    family: 'chrome', name: 'Uncaught TypeError copied from DevTools',
    text: lines('Uncaught TypeError: Cannot read properties of null (reading \'value\')', '    at HTMLFormElement.submit (https://shop.example.com/js/form.js:12:34)'),
    exceptions: [{ type: 'TypeError', frames: [['HTMLFormElement.submit', 'https://shop.example.com/js/form.js', 12, 34]] }],
  },
  {
    family: 'chrome', name: 'data: URL scripts',
    text: lines('Error: x', '    at dataFn (data:text/javascript;base64,ZnVuY3Rpb24gZigpe30=:1:10)', '    at https://example.com/a.js:2:3'),
    exceptions: [{ frames: [['dataFn', '<data:text/javascript;base64>'], ['?', 'https://example.com/a.js', 2, 3]] }],
  },
  {
    family: 'chrome', name: 'React production component stack with minified names',
    text: lines('Error: Minified React error #130', '    at ul (https://shop.example.com/static/js/main.8c1d.js:2:1130)', '    at ka (https://shop.example.com/static/js/main.8c1d.js:2:60120)', '    at ph (https://shop.example.com/static/js/main.8c1d.js:2:112455)'),
    exceptions: [{ frames: [['ul', 'https://shop.example.com/static/js/main.8c1d.js', 2, 1130], ['ka', 'https://shop.example.com/static/js/main.8c1d.js', 2, 60120], ['ph', 'https://shop.example.com/static/js/main.8c1d.js', 2, 112455]] }],
  },
  {
    family: 'chrome', name: 'Electron renderer with file:// pages',
    text: lines('Error: x', '    at onClick (file:///Applications/Shop.app/Contents/Resources/app.asar/renderer.js:20:5)'),
    exceptions: [{ frames: [['onClick', '/Applications/Shop.app/Contents/Resources/app.asar/renderer.js', 20, 5, true]] }],
  },
  {
    family: 'chrome', name: 'ports, IP hosts and deep paths',
    text: lines('Error: x', '    at load (http://10.0.0.5:8080/a/b/c/d.js:1:2)', '    at https://[::1]:3000/x.js:3:4'),
    exceptions: [{ frames: [['load', 'http://10.0.0.5:8080/a/b/c/d.js', 1, 2], ['?', 'https://[::1]:3000/x.js', 3, 4]] }],
  },
  {
    family: 'chrome', name: 'async URL inside the parentheses (Chrome 109)',
    text: lines('Error: bad', '    at saveDraft (https://app.example.com/:20:16)', '    at Object.onSubmit (async https://app.example.com/:25:7)', '    at submit (https://app.example.com/:33:23)'),
    exceptions: [{ frames: [['saveDraft', 'https://app.example.com/', 20, 16], ['Object.onSubmit', 'https://app.example.com/', 25, 7], ['submit', 'https://app.example.com/', 33, 23]] }],
  },
  {
    family: 'chrome', name: 'Edge 44 (native code)',
    text: lines('Error: test', '    at mapRow (http://localhost:5000/report:20:11)', '    at Array.prototype.map (native code)', '    at Global code (http://localhost:5000/report:24:7)'),
    exceptions: [{ frames: [['mapRow', 'http://localhost:5000/report', 20, 11, true], ['Array.prototype.map', 'native code', undefined, undefined, false], ['Global code', 'http://localhost:5000/report', 24, 7]] }],
  },
  {
    family: 'chrome', name: 'custom scheme of an embedded Chromium',
    text: lines('Error: x', '    at shopapp://main/5f2e9a.worker.js:70179:15'),
    exceptions: [{ frames: [['?', 'shopapp://main/5f2e9a.worker.js', 70179, 15, true]] }],
  },
  {
    family: 'chrome', name: 'bare file names with webpack hash queries, no space before (',
    text: lines('Error', '    at Client.fetchCart (api.tsx:554:1)', '    at loadCart (cartQuery.tsx?33f8:328:1)', '    at _CartQuery.eval [as fetchData] (cartQuery.tsx?33f8:256:1)', '    at commitLifeCycles (react-dom.development.js?f8c1:20663:1)', '    at key(webpack/runtime/jsonp chunk loading:27:18)', '    at Array.reduce(<anonymous>)'),
    exceptions: [{ frames: [['Client.fetchCart', 'api.tsx', 554, 1], ['loadCart', 'cartQuery.tsx', 328, 1], ['_CartQuery.eval [as fetchData]', 'cartQuery.tsx', 256, 1], ['commitLifeCycles', 'react-dom.development.js', 20663, 1], ['key', 'webpack/runtime/jsonp chunk loading', 27, 18], ['Array.reduce', '<anonymous>', undefined, undefined, false]] }],
  },
  {
    family: 'chrome', name: 'ChunkLoadError with the (error: …) lines webpack adds',
    text: lines('ChunkLoadError: Loading chunk checkout_tsx failed.', '(error: https://cdn.example.com/chunks/checkout_tsx.1a2b3c.js)', '    at (error: (/chunks/checkout_tsx.1a2b3c.js))', '    at ? (webpack/runtime/ensure chunk:6:25)', '    at Array.reduce(<anonymous>)'),
    exceptions: [{ type: 'ChunkLoadError', frames: [['?', 'webpack/runtime/ensure chunk', 6, 25], ['Array.reduce', '<anonymous>', undefined, undefined, false]] }],
  },
  {
    family: 'chrome', name: 'braces and brackets in URLs',
    text: lines('Error: bad', '    at something (http://localhost:5000/(shop)/(cart)/index.html:20:16)', '    at http://localhost:5000/(group)/[slug]/script.js:1:126'),
    exceptions: [{ frames: [['something', 'http://localhost:5000/(shop)/(cart)/index.html', 20, 16], ['?', 'http://localhost:5000/(group)/[slug]/script.js', 1, 126]] }],
  },
  {
    family: 'chrome', name: 'a frame over 1 KB keeps its line and column',
    text: lines('Error: bad', `    at Foo.testMethod (http://localhost:5000/${'A'.repeat(1040)}.js:44:7)`),
    exceptions: [{ frames: [['Foo.testMethod', `http://localhost:5000/${'A'.repeat(1040)}.js`, 44, 7]] }],
  },
  {
    family: 'chrome', name: 'WebAssembly frames: C++ names with parentheses, function index instead of a line',
    text: lines('RuntimeError: memory access out of bounds', '    at Cart::total(int) const (http://localhost:8001/cart.wasm:wasm-function[190]:0x5aeb)', '    at emscripten::internal::MethodInvoker<int (Cart::*)(int) const, int, Cart const*, int>::invoke(int (Cart::* const&)(int) const, Cart const*, int) (http://localhost:8001/cart.wasm:wasm-function[152]:0x47df)', '    at ClassHandle.Cart$total [as total] (eval at newFunc (http://localhost:8001/cart.js:2201:27), <anonymous>:9:10)', '    at showTotal (http://localhost:8001/index.html:18:22)'),
    exceptions: [{ type: 'RuntimeError', frames: [
      ['Cart::total(int) const', 'http://localhost:8001/cart.wasm'],
      ['emscripten::internal::MethodInvoker<int (Cart::*)(int) const, int, Cart const*, int>::invoke(int (Cart::* const&)(int) const, Cart const*, int)', 'http://localhost:8001/cart.wasm'],
      ['ClassHandle.Cart$total [as total]', 'http://localhost:8001/cart.js', 2201, 27],
      ['showTotal', 'http://localhost:8001/index.html', 18, 22],
    ] }],
  },
  {
    family: 'chrome', name: 'data: URL module with code in the URL, then file:// frames',
    text: lines('Error: Error from data-uri module', "    at dynamicFn (data:application/javascript,export function dynamicFn() {  throw new Error('Error from data-uri module');};:1:38)", '    at loadModule (file:///Users/ana/data-uri/index.mjs:8:5)', '    at async file:///Users/ana/data-uri/index.mjs:16:5'),
    exceptions: [{ frames: [['dynamicFn', '<data:application/javascript>'], ['loadModule', '/Users/ana/data-uri/index.mjs', 8, 5, true], ['?', '/Users/ana/data-uri/index.mjs', 16, 5, true]] }],
  },
  {
    family: 'chrome', name: 'PhantomJS: frames without columns',
    text: lines('Error: foo', '    at file:///path/to/file.js:878', '    at foo (http://path/to/file.js:4283)', '    at http://path/to/file.js:4287'),
    exceptions: [{ frames: [['?', '/path/to/file.js', 878], ['foo', 'http://path/to/file.js', 4283], ['?', 'http://path/to/file.js', 4287]] }],
  },
];
