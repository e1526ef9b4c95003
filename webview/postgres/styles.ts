// The panel's styles: only --vscode-* theme variables (and color-mix of them), no colours of its own.
export const STYLES = `
body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 24px; }
header { display: flex; align-items: center; gap: 12px; padding: 10px 0; border-bottom: 1px solid var(--vscode-panel-border); margin-bottom: 8px; }
header h1 { font-size: 1.2em; margin: 0; font-weight: 600; }
header .label { color: var(--vscode-descriptionForeground); flex: 1; }
.toolbar { display: flex; align-items: center; gap: 10px; margin: 10px 0; flex-wrap: wrap; }
.muted { color: var(--vscode-descriptionForeground); }
.banner { padding: 8px 12px; margin: 8px 0; border-left: 3px solid var(--vscode-editorWarning-foreground); background: var(--vscode-textBlockQuote-background); }
.banner.error { border-left-color: var(--vscode-errorForeground); }
.banner.critical { border-left-color: var(--vscode-errorForeground); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; margin: 8px 0; }
.chart { height: 320px; box-sizing: border-box; display: flex; flex-direction: column; border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); padding: 8px; }
.chart h3, section h2 { margin: 0 0 6px; font-size: 1em; font-weight: 600; }
.chart h3 .muted { font-weight: normal; }
/* The plot is the only box chart.js measures: a fixed share of a fixed-height chart, whatever the legend holds. */
.chart .plot { position: relative; flex: 1 1 0; min-height: 180px; }
.legend { flex: 0 0 auto; max-height: 5em; line-height: 1.25em; overflow-y: auto; list-style: none; margin: 6px 0 0; padding: 0; font-size: 0.9em; }
.legend li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: var(--vscode-editor-font-family); }
.legend .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: middle; }
#sample-time { white-space: nowrap; }
.banner a { color: var(--vscode-textLink-foreground); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
th { cursor: pointer; user-select: none; white-space: nowrap; color: var(--vscode-descriptionForeground); font-weight: 600; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.sql { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
tbody tr.selectable { cursor: pointer; }
tbody tr.selectable:hover { background: var(--vscode-list-hoverBackground); }
tbody tr[aria-selected="true"] { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
pre.sql { white-space: pre-wrap; word-break: break-word; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
  background: var(--vscode-textCodeBlock-background); padding: 8px; margin: 6px 0; }
.detail { margin-top: 12px; padding-top: 8px; border-top: 1px solid var(--vscode-panel-border); }
.plan li { margin: 2px 0; }
.plan .node { font-family: var(--vscode-editor-font-family); }
.edges { display: grid; gap: 12px; }
.edge { display: grid; grid-template-columns: 1fr auto 1fr; gap: 12px; align-items: start; border: 1px solid var(--vscode-panel-border); padding: 8px; }
.edge .arrow { align-self: center; font-size: 1.4em; color: var(--vscode-descriptionForeground); }
.party h3 { margin: 0 0 4px; font-size: 1em; }
.party.blocker h3 { color: var(--vscode-errorForeground); }
.chain { font-family: var(--vscode-editor-font-family); }
.empty { padding: 24px 0; }
`;
