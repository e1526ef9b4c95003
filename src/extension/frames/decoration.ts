// The failing line, highlighted: a whole-line background, the error message and event
// count after the code, and a hover with the details. One decoration at a time. It follows
// its line when edits above move it, and goes when the line itself is rewritten (a fix
// applied): the old error text must never sit on new code.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { counted, formatCount } from '../../core/stack/format';
import type { LineStory } from '../../core/git/lineStory';

/** The command a commit link in the hover runs (the Recent changes view runs it too). */
const OPEN_COMMIT_DIFF = 'forensics.internal.openCommitDiff';

export interface FailingLine {
  readonly uri: vscode.Uri;
  /** 0-based line. */
  readonly line: number;
  readonly message: string;
  readonly eventCount?: number;
  /** What the user should know about the position (moved, not found, source-mapped). */
  readonly notes: readonly string[];
  readonly title?: string;
}

/** "RangeError: stock went negative · 1,204 events", as shown after the line. */
export function failingLineText(f: Pick<FailingLine, 'message' | 'eventCount'>): string {
  const first = f.message.split('\n')[0];
  const short = first.length > 120 ? `${first.slice(0, 119)}…` : first;
  const count = f.eventCount !== undefined ? ` · ${formatCount(f.eventCount)} event${f.eventCount === 1 ? '' : 's'}` : '';
  return `${short}${count}`;
}

export class FailingLineDecoration extends Disposable {
  private readonly type = this._register(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('inputValidation.errorBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorError.foreground'),
      overviewRulerLane: vscode.OverviewRulerLane.Full,
    }),
  );
  private current: FailingLine | undefined;
  /** Who wrote the line and what changed it, once the history is read (after the line opens). */
  private story: LineStory | undefined;
  /** The decorated line's text when it was shown: the anchor edits are checked against. */
  private anchorText: string | undefined;

  constructor() {
    super();
    // Re-apply when the file is shown again (decorations belong to an editor, not a document).
    this._register(vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.applyTo(e))));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.follow(e)));
  }

  show(editor: vscode.TextEditor, failing: FailingLine): void {
    this.current = failing;
    this.story = undefined;
    const line = Math.min(failing.line, editor.document.lineCount - 1);
    this.anchorText = editor.document.lineAt(line).text;
    for (const e of vscode.window.visibleTextEditors) if (e !== editor) e.setDecorations(this.type, []);
    this.applyTo(editor);
  }

  /** The line's history, shown beside it and in its hover; for the line currently shown. */
  showStory(uri: vscode.Uri, story: LineStory | undefined): void {
    if (!this.current || this.current.uri.toString() !== uri.toString()) return;
    this.story = story;
    for (const editor of vscode.window.visibleTextEditors) this.applyTo(editor);
  }

  clear(): void {
    this.current = undefined;
    this.story = undefined;
    this.anchorText = undefined;
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.type, []);
  }

  /** Moves the line with edits above it; clears it when an edit touched the line's text. */
  private follow(e: vscode.TextDocumentChangeEvent): void {
    const f = this.current;
    if (!f || e.contentChanges.length === 0 || e.document.uri.toString() !== f.uri.toString()) return;
    let line = f.line;
    // The changes' ranges are in the text before the event: compare with the old line.
    for (const change of e.contentChanges) {
      if (change.range.start.line > f.line) continue;
      if (change.range.end.line >= f.line) return this.clear(); // the line itself was edited
      line += (change.text.match(/\n/g)?.length ?? 0) - (change.range.end.line - change.range.start.line);
    }
    if (line >= e.document.lineCount || e.document.lineAt(line).text !== this.anchorText) return this.clear();
    this.current = { ...f, line };
    for (const editor of vscode.window.visibleTextEditors) this.applyTo(editor);
  }

  private applyTo(editor: vscode.TextEditor): void {
    const f = this.current;
    if (!f || editor.document.uri.toString() !== f.uri.toString()) return;
    const line = Math.min(f.line, editor.document.lineCount - 1);
    const hover = new vscode.MarkdownString();
    hover.appendMarkdown('**Production Forensics: failing line**\n\n');
    if (f.title && f.title !== f.message) hover.appendText(`${f.title}\n\n`);
    hover.appendCodeblock(f.message, 'text');
    if (f.eventCount !== undefined) hover.appendText(`${counted(f.eventCount, 'event')}\n\n`);
    for (const n of f.notes) hover.appendText(`${n}\n\n`);
    this.appendStory(hover, f.uri);
    const inline = this.story?.inline ? ` · ${this.story.inline}` : '';
    editor.setDecorations(this.type, [
      {
        range: editor.document.lineAt(line).range,
        hoverMessage: hover,
        renderOptions: {
          after: {
            contentText: `  ${failingLineText(f)}${inline}`,
            color: new vscode.ThemeColor('editorError.foreground'),
            fontStyle: 'italic',
            margin: '0 0 0 2em',
          },
        },
      },
    ]);
  }

  /** The commits as links that open their diff of this file, so the story is one click from the code. */
  private appendStory(hover: vscode.MarkdownString, uri: vscode.Uri): void {
    const story = this.story;
    if (!story || story.entries.length === 0) return;
    hover.isTrusted = { enabledCommands: [OPEN_COMMIT_DIFF] };
    hover.appendMarkdown('---\n\n**Commits on this line**\n\n');
    for (const e of story.entries) {
      const args = encodeURIComponent(JSON.stringify([e.sha, uri.fsPath, e.path, e.previousPath]));
      hover.appendMarkdown(`- [\`${e.shortSha}\`](command:${OPEN_COMMIT_DIFF}?${args} "Open the diff of this commit") `);
      hover.appendText(`${e.subject} — ${e.author}, ${e.when}${e.why ? ` · ${e.why}` : ''}`);
      hover.appendMarkdown('\n');
    }
    if (story.more > 0) hover.appendText(`\n${counted(story.more, 'more commit')} in the Recent changes view\n`);
  }
}
