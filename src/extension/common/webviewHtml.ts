// The HTML shell every panel gets: a strict CSP (default-src 'none', connect-src 'none',
// scripts only with a per-load nonce from crypto), the bundled script, and no data
// inlined into it: the panel asks for its data over the protocol after saying `ready`.
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface PanelHtmlOptions {
  title: string;
  /** webview.cspSource: the origin that local resources are served from. */
  cspSource: string;
  /** URI (as a string from asWebviewUri) of the panel's bundled script. */
  scriptUri: string;
  /** URIs of stylesheets (e.g. codicons). */
  styleUris?: string[];
  nonce?: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function panelHtml(options: PanelHtmlOptions): string {
  const nonce = options.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // vscode-elements and chart.js set inline styles on elements they create.
    `style-src ${options.cspSource} 'unsafe-inline'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
    "connect-src 'none'",
  ].join('; ');
  const styles = (options.styleUris ?? [])
    .map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}" nonce="${nonce}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeAttribute(options.title)}</title>
    ${styles}
  </head>
  <body>
    <div id="app" aria-busy="true"></div>
    <script nonce="${nonce}" src="${escapeAttribute(options.scriptUri)}"></script>
  </body>
</html>`;
}
