// The failing line, highlighted: a whole-line background, the error message and event
// count after the code, and a hover with the details. One decoration at a time.
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { counted, formatCount } from '../../core/stack/format';

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

  constructor() {
    super();
    // Re-apply when the file is shown again (decorations belong to an editor, not a document).
    this._register(vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.applyTo(e))));
  }

  show(editor: vscode.TextEditor, failing: FailingLine): void {
    this.current = failing;
    for (const e of vscode.window.visibleTextEditors) if (e !== editor) e.setDecorations(this.type, []);
    this.applyTo(editor);
  }

  clear(): void {
    this.current = undefined;
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.type, []);
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
    editor.setDecorations(this.type, [
      {
        range: editor.document.lineAt(line).range,
        hoverMessage: hover,
        renderOptions: {
          after: {
            contentText: `  ${failingLineText(f)}`,
            color: new vscode.ThemeColor('editorError.foreground'),
            fontStyle: 'italic',
            margin: '0 0 0 2em',
          },
        },
      },
    ]);
  }
}
