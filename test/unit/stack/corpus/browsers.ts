// Firefox (Gecko), Safari (JavaScriptCore) and the old Microsoft engines (IE, Edge legacy, WinJS).
import { lines, type CorpusTrace } from './types';

const u = 'http://path/to/file.js';

export const geckoTraces: CorpusTrace[] = [
  {
    family: 'gecko', name: 'Firefox 3: fn(args)@url:line, no columns',
    text: lines('()@http://127.0.0.1:8000/js/stacktrace.js:44', '(null)@http://127.0.0.1:8000/js/stacktrace.js:31', 'printStackTrace()@http://127.0.0.1:8000/js/stacktrace.js:18', 'bar(1)@http://127.0.0.1:8000/js/file.js:13', 'bar(2)@http://127.0.0.1:8000/js/file.js:16', 'foo()@http://127.0.0.1:8000/js/file.js:20', '@http://127.0.0.1:8000/js/file.js:24'),
    exceptions: [{ frames: [['?', 'http://127.0.0.1:8000/js/stacktrace.js', 44], ['?', 'http://127.0.0.1:8000/js/stacktrace.js', 31], ['printStackTrace', 'http://127.0.0.1:8000/js/stacktrace.js', 18], ['bar', 'http://127.0.0.1:8000/js/file.js', 13], ['bar', 'http://127.0.0.1:8000/js/file.js', 16], ['foo', 'http://127.0.0.1:8000/js/file.js', 20], ['?', 'http://127.0.0.1:8000/js/file.js', 24]] }],
  },
  {
    family: 'gecko', name: 'Firefox 7 on Windows file:/// URLs',
    text: lines('()@file:///G:/js/stacktrace.js:44', 'printStackTrace()@file:///G:/js/stacktrace.js:18', 'bar(1)@file:///G:/js/file.js:13', '@file:///G:/js/file.js:24'),
    exceptions: [{ frames: [['?', 'G:/js/stacktrace.js', 44], ['printStackTrace', 'G:/js/stacktrace.js', 18], ['bar', 'G:/js/file.js', 13], ['?', 'G:/js/file.js', 24]] }],
  },
  {
    family: 'gecko', name: 'Firefox 14: anonymous and onclick',
    text: lines(`@${u}:48`, `dumpException3@${u}:52`, `onclick@${u}:1`, `@${u}:1`),
    exceptions: [{ frames: [['?', u, 48], ['dumpException3', u, 52], ['onclick', u, 1], ['?', u, 1]] }],
  },
  {
    family: 'gecko', name: 'Firefox 31: fn/<@ and computed names',
    text: lines(`foo@${u}:41:13`, `bar@${u}:1:1`, `.plugin/e.fn[c]/<@${u}:1:1`),
    exceptions: [{ frames: [['foo', u, 41, 13], ['bar', u, 1, 1], ['.plugin/e.fn[c]/<', u, 1, 1]] }],
  },
  {
    family: 'gecko', name: 'Firefox 43: nested eval (file.js line N > eval)',
    text: lines('baz@http://localhost:8080/file.js line 26 > eval line 2 > eval:1:30', 'foo@http://localhost:8080/file.js line 26 > eval:2:96', '@http://localhost:8080/file.js line 26 > eval:4:18', 'speak@http://localhost:8080/file.js:26:17', '@http://localhost:8080/file.js:33:9'),
    exceptions: [{ frames: [['baz', 'http://localhost:8080/file.js', 26], ['foo', 'http://localhost:8080/file.js', 26], ['eval', 'http://localhost:8080/file.js', 26], ['speak', 'http://localhost:8080/file.js', 26, 17], ['?', 'http://localhost:8080/file.js', 33, 9]] }],
  },
  {
    family: 'gecko', name: 'Firefox 44: [2]</Bar.prototype._baz/</<',
    text: lines(`[2]</Bar.prototype._baz/</<@${u}:703:28`, 'App.prototype.foo@file:///path/to/file.js:15:2', 'bar@file:///path/to/file.js:20:3', '@file:///path/to/index.html:23:1'),
    exceptions: [{ frames: [['[2]</Bar.prototype._baz/</<', u, 703, 28], ['App.prototype.foo', '/path/to/file.js', 15, 2], ['bar', '/path/to/file.js', 20, 3], ['?', '/path/to/index.html', 23, 1]] }],
  },
  {
    family: 'gecko', name: 'Firefox 50: resource:// URLs',
    text: lines('render@resource://path/data/content/bundle.js:5529:16', 'dispatchEvent@resource://path/data/content/vendor.bundle.js:18:23028', 'wrapped@resource://path/data/content/bundle.js:7270:25'),
    exceptions: [{ frames: [['render', 'resource://path/data/content/bundle.js', 5529, 16], ['dispatchEvent', 'resource://path/data/content/vendor.bundle.js', 18, 23028], ['wrapped', 'resource://path/data/content/bundle.js', 7270, 25]] }],
  },
  {
    family: 'gecko', name: 'modern Firefox with async* and handler* markers',
    text: lines('fetchCart@https://shop.example.com/js/cart.js:10:11', 'async*loadPage@https://shop.example.com/js/page.js:22:9', 'setTimeout handler*start@https://shop.example.com/js/main.js:5:3', 'EventListener.handleEvent*@https://shop.example.com/js/main.js:40:1'),
    exceptions: [{ frames: [['fetchCart', 'https://shop.example.com/js/cart.js', 10, 11], ['loadPage', 'https://shop.example.com/js/page.js', 22, 9], ['start', 'https://shop.example.com/js/main.js', 5, 3], ['?', 'https://shop.example.com/js/main.js', 40, 1]] }],
  },
  {
    family: 'gecko', name: '@ inside URLs (scoped packages, vite deps)',
    text: lines('handle@http://localhost:5173/node_modules/.vite/deps/@tanstack_react-query.js?v=1a2b:10:5', 'App@http://localhost:5173/src/App.tsx:7:3', 'client@http://localhost:5173/@vite/client:1:2'),
    exceptions: [{ frames: [['handle', 'http://localhost:5173/node_modules/.vite/deps/@tanstack_react-query.js?v=1a2b', 10, 5, false], ['App', 'http://localhost:5173/src/App.tsx', 7, 3, true], ['client', 'http://localhost:5173/@vite/client', 1, 2]] }],
  },
  {
    family: 'gecko', name: 'Firefox with a header line (Sentry-style paste)',
    text: lines("TypeError: can't access property \"id\", user is undefined", 'showUser@https://shop.example.com/js/user.js:3:20', '@https://shop.example.com/js/user.js:9:1'),
    exceptions: [{ type: 'TypeError', frames: [['showUser', 'https://shop.example.com/js/user.js', 3, 20], ['?', 'https://shop.example.com/js/user.js', 9, 1]] }],
  },
  {
    family: 'gecko', name: 'moz-extension URLs',
    text: lines('inject@moz-extension://1b2c3d4e-aaaa-bbbb-cccc-123456789abc/content.js:12:7'),
    exceptions: [{ frames: [['inject', 'moz-extension://1b2c3d4e-aaaa-bbbb-cccc-123456789abc/content.js', 12, 7]] }],
  },
  {
    family: 'gecko', name: 'webpack-internal in Firefox',
    text: lines('render@webpack-internal:///./src/App.js:10:5', 'mountComponent@webpack-internal:///./node_modules/react-dom/cjs/react-dom.development.js:100:3'),
    exceptions: [{ frames: [['render', 'webpack-internal:///./src/App.js', 10, 5, true], ['mountComponent', 'webpack-internal:///./node_modules/react-dom/cjs/react-dom.development.js', 100, 3, false]] }],
  },
  {
    family: 'gecko', name: 'function names containing @',
    text: lines('Foo.prototype["@@dispatch"]@https://example.com/a.js:1:10', 'bar@https://example.com/a.js:2:20'),
    exceptions: [{ frames: [['Foo.prototype["@@dispatch"]', 'https://example.com/a.js', 1, 10], ['bar', 'https://example.com/a.js', 2, 20]] }],
  },
  {
    family: 'gecko', name: 'debugger eval code in the console',
    text: lines('@debugger eval code:1:7'),
    exceptions: [{ frames: [['?', 'debugger eval code', 1, 7, false]] }],
  },
  {
    family: 'gecko', name: 'Firefox 66: indented frames and line N > eval',
    text: lines('aha@http://localhost:5000/:19:13', '          callback@http://localhost:5000/:25:7', '          test/<@http://localhost:5000/:34:7', '          @http://localhost:5000/ line 39 > eval:1:1', '          aha@http://localhost:5000/:39:5'),
    exceptions: [{ frames: [['aha', 'http://localhost:5000/', 19, 13], ['callback', 'http://localhost:5000/', 25, 7], ['test/<', 'http://localhost:5000/', 34, 7], ['eval', 'http://localhost:5000/', 39], ['aha', 'http://localhost:5000/', 39, 5]] }],
  },
  {
    family: 'gecko', name: 'Next.js app router paths with (group) and [route]',
    text: lines('onClick@http://localhost:3002/_next/static/chunks/app/(shop)/[slug]/page.js:1:644', '@http://localhost:3002/_next/static/chunks/app/(shop)/[slug]/page.js:1:126'),
    exceptions: [{ frames: [['onClick', 'http://localhost:3002/_next/static/chunks/app/(shop)/[slug]/page.js', 1, 644], ['?', 'http://localhost:3002/_next/static/chunks/app/(shop)/[slug]/page.js', 1, 126]] }],
  },
  {
    family: 'gecko', name: 'minified vendor bundles with hashes',
    text: lines('us@https://www.shop.example/vendor.d1cae9cfc9917df88de7.js:1:296021', 'detectChanges@https://www.shop.example/vendor.d1cae9cfc9917df88de7.js:1:333807', 'handleProfileResult@https://www.shop.example/main.4a4119c3cdfd10266d84.js:146:1018410'),
    exceptions: [{ frames: [['us', 'https://www.shop.example/vendor.d1cae9cfc9917df88de7.js', 1, 296021], ['detectChanges', 'https://www.shop.example/vendor.d1cae9cfc9917df88de7.js', 1, 333807], ['handleProfileResult', 'https://www.shop.example/main.4a4119c3cdfd10266d84.js', 146, 1018410]] }],
  },
  {
    family: 'gecko', name: 'Presto Opera 10 stacktrace property',
    text: lines('  Line 44 of linked script http://path/to/file.js', '    this.undef();', '  Line 31 of inline#1 script in http://path/to/file.js', '    ex = ex || this.createException();'),
    exceptions: [{ frames: [['?', 'http://path/to/file.js', 44], ['?', 'http://path/to/file.js', 31]] }],
    unsupported: "Presto Opera (≤ 12, last shipped 2013) writes `Line N of linked script URL`; Sentry's opera10 regex for it also matches log prose such as 'line 5 of the script in /tmp/x', so reading it would turn log text into frames",
  },
];

export const safariTraces: CorpusTrace[] = [
  {
    family: 'safari', name: 'Safari 6: [native code]',
    text: lines(`@${u}:48`, `dumpException3@${u}:52`, `onclick@${u}:82`, '[native code]'),
    exceptions: [{ frames: [['?', u, 48], ['dumpException3', u, 52], ['onclick', u, 82], ['?', '[native code]', undefined, undefined, false]] }],
  },
  {
    family: 'safari', name: 'Safari 7: a bare url:line:col first frame',
    text: lines(`${u}:48:22`, `foo@${u}:52:15`, `bar@${u}:108:107`),
    exceptions: [{ frames: [['?', u, 48, 22], ['foo', u, 52, 15], ['bar', u, 108, 107]] }],
  },
  {
    family: 'safari', name: 'Safari 8 eval: eval code and eval@[native code]',
    text: lines('eval code', 'eval@[native code]', `foo@${u}:58:21`, `bar@${u}:109:91`, `${u}:41:27`),
    exceptions: [{ frames: [['eval', '[native code]', undefined, undefined, false], ['foo', u, 58, 21], ['bar', u, 109, 91], ['?', u, 41, 27]] }],
  },
  {
    family: 'safari', name: 'global code, module code and promiseReactionJob',
    text: lines('TypeError: undefined is not an object (evaluating \'cart.items\')', 'render@https://shop.example.com/js/cart.js:4:18', 'module code@https://shop.example.com/js/main.js:2:7', 'global code@https://shop.example.com/js/boot.js:1:1', 'promiseReactionJob@[native code]'),
    exceptions: [{ type: 'TypeError', frames: [['render', 'https://shop.example.com/js/cart.js', 4, 18], ['module code', 'https://shop.example.com/js/main.js', 2, 7], ['global code', 'https://shop.example.com/js/boot.js', 1, 1], ['promiseReactionJob', '[native code]', undefined, undefined, false]] }],
  },
  {
    family: 'safari', name: 'iOS Safari with dispatchEvent@[native code]',
    text: lines('handleClick@http://localhost:3000/static/js/main.js:2:1234', 'dispatchEvent@[native code]', 'callCallback@http://localhost:3000/static/js/vendors.js:9:100'),
    exceptions: [{ frames: [['handleClick', 'http://localhost:3000/static/js/main.js', 2, 1234], ['dispatchEvent', '[native code]', undefined, undefined, false], ['callCallback', 'http://localhost:3000/static/js/vendors.js', 9, 100]] }],
  },
  {
    family: 'safari', name: 'Safari 17 masked extension URLs',
    text: lines('inject@webkit-masked-url://hidden/:2:330', 'run@https://example.com/a.js:1:5'),
    exceptions: [{ frames: [['inject', 'webkit-masked-url://hidden/', 2, 330], ['run', 'https://example.com/a.js', 1, 5]] }],
  },
  {
    family: 'safari', name: 'async function frames in Safari',
    text: lines('load@https://example.com/a.js:10:20', 'async function load', 'asyncFunctionResume@[native code]', '@https://example.com/a.js:30:1'),
    exceptions: [{ frames: [['load', 'https://example.com/a.js', 10, 20], ['asyncFunctionResume', '[native code]', undefined, undefined, false], ['?', 'https://example.com/a.js', 30, 1]] }],
  },
  {
    family: 'safari', name: 'Safari 9 with the header',
    text: lines('ReferenceError: Can\'t find variable: price', `compute@${u}:12:25`, `global code@${u}:20:8`),
    exceptions: [{ type: 'ReferenceError', frames: [['compute', u, 12, 25], ['global code', u, 20, 8]] }],
  },
  {
    family: 'safari', name: 'Safari with file:// pages',
    text: lines('fail@file:///Users/ana/site/index.html:10:5', 'global code@file:///Users/ana/site/index.html:20:1'),
    exceptions: [{ frames: [['fail', '/Users/ana/site/index.html', 10, 5], ['global code', '/Users/ana/site/index.html', 20, 1]] }],
  },
  {
    family: 'safari', name: 'Cordova / Capacitor app URLs',
    text: lines('onDeviceReady@capacitor://localhost/js/app.js:33:14', 'dispatchEvent@[native code]'),
    exceptions: [{ frames: [['onDeviceReady', 'capacitor://localhost/js/app.js', 33, 14], ['dispatchEvent', '[native code]', undefined, undefined, false]] }],
  },
];

export const winjsTraces: CorpusTrace[] = [
  {
    family: 'winjs-ie-edge', name: 'IE 10: Anonymous function',
    text: lines("TypeError: Unable to get property 'undef' of undefined or null reference", `   at Anonymous function (${u}:48:13)`, `   at foo (${u}:46:9)`, `   at bar (${u}:82:1)`),
    exceptions: [{ type: 'TypeError', frames: [['Anonymous function', u, 48, 13], ['foo', u, 46, 9], ['bar', u, 82, 1]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'IE 11',
    text: lines("ReferenceError: 'getExceptionProps' is undefined", `   at Anonymous function (${u}:47:21)`, `   at foo (${u}:45:13)`, `   at bar (${u}:108:1)`),
    exceptions: [{ type: 'ReferenceError', frames: [['Anonymous function', u, 47, 21], ['foo', u, 45, 13], ['bar', u, 108, 1]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'IE 11 eval code',
    text: lines("ReferenceError: 'getExceptionProps' is undefined", '   at eval code (eval code:1:1)', `   at foo (${u}:58:17)`, `   at bar (${u}:109:1)`),
    exceptions: [{ frames: [['eval code', 'eval code', 1, 1, false], ['foo', u, 58, 17], ['bar', u, 109, 1]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'Edge 20 nested eval and Global code',
    text: lines('Error: message string', '   at baz (eval code:1:18)', '   at foo (eval code:2:90)', '   at eval code (eval code:4:18)', '   at speak (http://localhost:8080/file.js:25:17)', '   at Global code (http://localhost:8080/file.js:32:9)'),
    exceptions: [{ frames: [['baz', 'eval code', 1, 18, false], ['foo', 'eval code', 2, 90, false], ['eval code', 'eval code', 4, 18, false], ['speak', 'http://localhost:8080/file.js', 25, 17, true], ['Global code', 'http://localhost:8080/file.js', 32, 9, true]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'WinJS ms-appx URLs',
    text: lines('Error: Access is denied.', '   at Anonymous function (ms-appx://shop.app/js/default.js:12:7)', '   at notifySuccess (ms-appx://microsoft.winjs.2.0/js/base.js:1404:9)'),
    exceptions: [{ frames: [['Anonymous function', 'ms-appx://shop.app/js/default.js', 12, 7], ['notifySuccess', 'ms-appx://microsoft.winjs.2.0/js/base.js', 1404, 9]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'WinJS [object Object] receivers',
    text: lines('Error: x', '   at [object Object].handler (ms-appx://shop.app/js/page.js:5:3)', '   at [object Object].dispatch (ms-appx://shop.app/js/page.js:9:1)'),
    exceptions: [{ frames: [['[object Object].handler', 'ms-appx://shop.app/js/page.js', 5, 3], ['[object Object].dispatch', 'ms-appx://shop.app/js/page.js', 9, 1]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'Edge legacy without columns',
    text: lines('Error: x', '   at foo (http://example.com/a.js:10)', '   at Global code (http://example.com/a.js:20)'),
    exceptions: [{ frames: [['foo', 'http://example.com/a.js', 10], ['Global code', 'http://example.com/a.js', 20]] }],
  },
  {
    family: 'winjs-ie-edge', name: 'IE Function code',
    text: lines('Error: x', '   at Function code (Function code:1:1)', '   at run (https://example.com/a.js:3:3)'),
    exceptions: [{ frames: [['Function code', 'Function code', 1, 1, false], ['run', 'https://example.com/a.js', 3, 3, true]] }],
  },
];
