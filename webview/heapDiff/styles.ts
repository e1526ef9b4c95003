// The panel's styles: theme variables only (no colours of our own), so it follows the
// user's theme, high contrast included.
export const styles = `
body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 24px; }
h1 { font-size: 1.4em; font-weight: 600; margin: 16px 0 4px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 20px 0 8px; }
.muted { color: var(--vscode-descriptionForeground); }
.note { border-left: 3px solid var(--vscode-editorWarning-foreground); padding: 4px 8px; margin: 8px 0; background: var(--vscode-textBlockQuote-background); }
.snapshots { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
.culprits { margin: 8px 0; padding-left: 20px; }
.culprits li { margin: 4px 0; }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
.card { border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: 8px 12px; }
.chart-box { position: relative; height: 280px; }
.line-box { position: relative; height: 180px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 6px; }
.toolbar h2 { flex-basis: 100%; margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: right; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border); white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; word-break: break-all; }
th { cursor: pointer; user-select: none; color: var(--vscode-descriptionForeground); font-weight: 600; }
th[aria-sort] { color: var(--vscode-foreground); }
tbody tr { cursor: pointer; }
tbody tr:hover { background: var(--vscode-list-hoverBackground); }
tbody tr[aria-selected="true"] { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.internal td:first-child { color: var(--vscode-descriptionForeground); }
.path { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 4px 6px; border-radius: 3px; margin: 4px 0; word-break: break-word; }
.grow { color: var(--vscode-charts-red); }
.shrink { color: var(--vscode-charts-green); }
`;
