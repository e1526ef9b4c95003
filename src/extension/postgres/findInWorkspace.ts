// "Find in workspace" for a statement: scores the workspace's source files with the
// core's matcher and opens the best match at its line (a pick when several are close).
import * as vscode from 'vscode';
import { scoreFile, statementSearchTerms, type FileMatch } from '../../core/postgres/codeSearch';

const SOURCES = '**/*.{js,mjs,cjs,ts,mts,cts,jsx,tsx,py,rb,go,java,kt,cs,php,rs,sql,ex,exs,scala}';
const EXCLUDE = '**/{node_modules,dist,out,build,.git,vendor,target,coverage}/**';
const MAX_FILES = 3000;
const MAX_BYTES = 512 * 1024;

export async function findStatementInWorkspace(query: string): Promise<void> {
  const terms = statementSearchTerms(query);
  if (!terms.fragment && terms.tables.length === 0) {
    void vscode.window.showInformationMessage('Forensics: this statement names no table and has too few words to search for.');
    return;
  }
  const matches = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Searching the workspace for the statement' },
    async (_progress, token) => {
      const files = await vscode.workspace.findFiles(SOURCES, EXCLUDE, MAX_FILES, token);
      const found: { uri: vscode.Uri; match: FileMatch }[] = [];
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength > MAX_BYTES) continue;
        const match = scoreFile(new TextDecoder().decode(bytes), terms);
        if (match) found.push({ uri, match });
      }
      return found.sort((a, b) => b.match.score - a.match.score);
    },
  );
  if (matches.length === 0) {
    void vscode.window.showInformationMessage(
      `Forensics: no source file mentions ${terms.tables.length ? `the table(s) ${terms.tables.join(', ')}` : 'this statement'}.`,
    );
    return;
  }
  let chosen = matches[0];
  const close = matches.filter((m) => m.match.score === chosen.match.score);
  if (close.length > 1 || chosen.match.reason === 'table names') {
    const pick = await vscode.window.showQuickPick(
      matches
        .slice(0, 30)
        .map((m) => ({ label: vscode.workspace.asRelativePath(m.uri), description: `line ${m.match.line + 1} · ${m.match.reason}`, m })),
      { title: 'Files that may send this statement', placeHolder: terms.tables.join(', ') },
    );
    if (!pick) return;
    chosen = pick.m;
  }
  const position = new vscode.Position(chosen.match.line, 0);
  await vscode.window.showTextDocument(chosen.uri, { selection: new vscode.Range(position, position) });
}
