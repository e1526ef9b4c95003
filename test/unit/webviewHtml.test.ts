import { strict as assert } from 'node:assert';
import { panelHtml, makeNonce } from '../../src/extension/common/webviewHtml';

describe('webview HTML shell', () => {
  it('has a strict CSP with a per-load nonce and no network access', () => {
    const html = panelHtml({
      title: 'T',
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      scriptUri: 'https://x/dist/webview/heap.js',
    });
    const csp = /content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/dist/webview/heap.js"></script>`));
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'exactly one script, no inline data');
  });

  it('nonces are fresh each load', () => {
    const seen = new Set(Array.from({ length: 100 }, () => makeNonce()));
    assert.equal(seen.size, 100);
  });

  it('escapes the title', () => {
    const html = panelHtml({ title: '<img src=x onerror=alert(1)>', cspSource: 's', scriptUri: 'u' });
    assert.ok(!html.includes('<img'));
  });
});
