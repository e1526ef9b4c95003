// From a stack frame to the code beside the commits that changed it: `forensics.openFrame`
// (the contract other features call), "Open Stack Trace from Clipboard", the failing-line
// decoration and the "Recent changes" view.
import * as vscode from 'vscode';
import type { StackFrame } from '../../core/model/frame';
import type { IncidentSummary } from '../../core/model/incident';
import { parseStackTrace } from '../../core/stack/parseTrace';
import { parsePathMappings } from '../../core/stack/pathResolve';
import { resolveFrame, type FrameResolution } from '../../core/stack/resolveFrame';
import { describeFrameLocation } from '../../core/stack/format';
import { fileTextAtRelease } from '../../core/git/release';
import { recentChanges } from '../../core/git/changes';
import { lineStory } from '../../core/git/lineStory';
import { WorkspaceIndexService } from './indexService';
import { FailingLineDecoration } from './decoration';
import { RecentChangesTree, type RecentChangeNode } from './recentChangesTree';
import { COMMIT_SCHEME, CommitContentProvider, openCommitDiff } from './commitDiff';
import { exceptionTitle, pickFrame } from './traceQuickPick';
import { IncidentLensProvider, openIncidentFromLens } from './incidentLens';

/** What the caller knows about the incident behind the frame (all optional). */
export interface FrameContext {
  readonly title?: string;
  readonly eventCount?: number;
  readonly message?: string;
  readonly release?: string;
  readonly firstSeen?: string;
  readonly incident?: IncidentSummary;
}

export interface OpenedFrame {
  readonly file: string;
  /** 1-based, where the editor was opened. */
  readonly line: number;
  readonly column: number;
  readonly notes: readonly string[];
}

function folderRefs() {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

/** Notes for the user about where the editor opened (drift, source map, ambiguity). */
function positionNotes(r: FrameResolution): string[] {
  const notes: string[] = [];
  if (r.drift && r.drift.status !== 'unchanged') notes.push(r.drift.message);
  if (r.generated)
    notes.push(
      `mapped through the source map of ${vscode.workspace.asRelativePath(r.generated.file)} (${r.generated.line}:${r.generated.column})`,
    );
  if (r.alsoMatched?.length)
    notes.push(`other files matched as well: ${r.alsoMatched.map((f) => vscode.workspace.asRelativePath(f)).join(', ')}`);
  if (r.reason) notes.push(r.reason);
  return notes;
}

export function registerFrames(context: vscode.ExtensionContext): void {
  const index = new WorkspaceIndexService(context.extensionPath);
  const decoration = new FailingLineDecoration();
  const tree = new RecentChangesTree();
  const view = vscode.window.createTreeView<RecentChangeNode>('forensics.recentChanges', { treeDataProvider: tree });
  const lenses = new IncidentLensProvider(index);
  // Warm the index while the user looks at the Forensics views, before the first frame is opened.
  context.subscriptions.push(view.onDidChangeVisibility((e) => e.visible && void index.get()));

  const showAt = async (file: vscode.Uri, line: number, column: number, frame: StackFrame, ctx: FrameContext, notes: string[]) => {
    const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
    const editor = await vscode.window.showTextDocument(file, { selection: new vscode.Range(pos, pos), preview: false });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const message = ctx.message ?? ctx.title ?? describeFrameLocation(frame);
    decoration.show(editor, {
      uri: file,
      line: pos.line,
      message,
      eventCount: ctx.eventCount ?? ctx.incident?.count,
      notes,
      title: ctx.title,
    });
    void loadChanges(file.fsPath, line, ctx);
  };

  const loadChanges = async (file: string, line: number, ctx: FrameContext) => {
    tree.showLoading(`${vscode.workspace.asRelativePath(file)}:${line}`);
    view.message = undefined;
    const windowDays = vscode.workspace.getConfiguration('forensics').get<number>('recentChanges.windowDays', 7);
    const release = ctx.release ?? ctx.incident?.firstRelease;
    const firstSeen = ctx.firstSeen ?? ctx.incident?.firstSeen;
    const report = await recentChanges({ file, line, release, firstSeen, windowDays });
    tree.show(report, file);
    view.message = tree.message;
    decoration.showStory(vscode.Uri.file(file), lineStory(report));
  };

  const locateFile = async (frame: StackFrame, ctx: FrameContext, reason: string): Promise<OpenedFrame | undefined> => {
    const choice = await vscode.window.showWarningMessage(`Cannot open ${describeFrameLocation(frame)}: ${reason}`, 'Locate file…');
    if (choice !== 'Locate file…') return undefined;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Open at the failing line',
    });
    if (!picked?.[0]) return undefined;
    const line = frame.lineNo ?? 1;
    const column = frame.colNo ?? 1;
    const notes = ['located by hand: add a forensics.pathMappings entry to resolve such paths automatically'];
    await showAt(picked[0], line, column, frame, ctx, notes);
    return { file: picked[0].fsPath, line, column, notes };
  };

  const openFrame = async (frame: StackFrame | string | undefined, ctx: FrameContext = {}): Promise<OpenedFrame | undefined> => {
    if (frame === undefined) {
      frame = await vscode.window.showInputBox({
        title: 'Open frame',
        prompt: 'A frame as a trace prints it, e.g. "at reserveStock (/app/src/inventory.js:24:5)" or "src/x.js:10:3"',
      });
      if (!frame) return undefined;
    }
    if (typeof frame === 'string') {
      const text = frame.trim();
      // A bare "file:line:col" reads as a Node frame; anything else (an "at" line, Firefox's
      // "fn@url:1:2", a line from a log) as pasted, so every family the parser knows opens.
      const bare = !/^at\s/.test(text) && !/[@\s]/.test(text);
      const parsed = parseStackTrace(bare ? `at ${text}` : text)[0]?.frames[0];
      if (!parsed) {
        void vscode.window.showErrorMessage(
          `"${text}" is not a stack frame: expected "at fn (file:line:col)", "fn@file:line:col" or "file:line:col"`,
        );
        return undefined;
      }
      frame = parsed;
    }
    const r = await resolveFrame(frame, {
      index: await index.get(),
      folders: folderRefs(),
      mappings: parsePathMappings(vscode.workspace.getConfiguration('forensics').get('pathMappings')),
      textAtRelease: ctx.release ? (file) => fileTextAtRelease(file, ctx.release as string) : undefined,
    });
    if (r.status === 'unresolved' || !r.file) return locateFile(frame, ctx, r.reason ?? 'the file is not in the workspace');
    const line = r.line ?? 1;
    const column = r.column ?? 1;
    const notes = positionNotes(r);
    await showAt(vscode.Uri.file(r.file), line, column, frame, ctx, notes);
    if (r.drift?.status === 'not-found') void vscode.window.showWarningMessage(r.drift.message);
    else if (r.drift?.status === 'moved') void vscode.window.showInformationMessage(r.drift.message);
    return { file: r.file, line, column, notes };
  };

  const openTraceFromClipboard = async () => {
    const text = await vscode.env.clipboard.readText();
    const exceptions = parseStackTrace(text);
    if (!exceptions.some((e) => e.frames.length > 0)) {
      void vscode.window.showErrorMessage(
        'The clipboard holds no stack trace: copy the lines from a log, starting with "Error: …" and lines like "    at fn (file.js:10:5)".',
      );
      return undefined;
    }
    const thrown = exceptions[exceptions.length - 1];
    // The Incidents view lists pasted traces beside Sentry's incidents when it is there.
    if ((await vscode.commands.getCommands(true)).includes('forensics.internal.showTraceInIncidents')) {
      void vscode.commands.executeCommand('forensics.internal.showTraceInIncidents', `Pasted: ${exceptionTitle(thrown)}`, exceptions);
    }
    const picked = await pickFrame(exceptions);
    if (!picked) return undefined;
    return openFrame(picked.frame, { title: exceptionTitle(picked.exception), message: exceptionTitle(picked.exception) });
  };

  context.subscriptions.push(
    index,
    decoration,
    view,
    vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, new CommitContentProvider()),
    vscode.commands.registerCommand('forensics.openFrame', (frame?: StackFrame | string, ctx?: FrameContext) => openFrame(frame, ctx)),
    vscode.commands.registerCommand('forensics.openStackTraceFromClipboard', () => openTraceFromClipboard()),
    vscode.commands.registerCommand('forensics.clearFailingLine', () => decoration.clear()),
    lenses,
    vscode.languages.registerCodeLensProvider(
      [
        { scheme: 'file', language: 'javascript' },
        { scheme: 'file', language: 'typescript' },
        { scheme: 'file', language: 'javascriptreact' },
        { scheme: 'file', language: 'typescriptreact' },
      ],
      lenses,
    ),
    vscode.commands.registerCommand('forensics.internal.openIncidentFromLens', (incidents: IncidentSummary[]) =>
      openIncidentFromLens(incidents),
    ),
    vscode.commands.registerCommand(
      'forensics.internal.openCommitDiff',
      (sha: string, file: string, pathInCommit?: string, previousPath?: string) => openCommitDiff(sha, file, pathInCommit, previousPath),
    ),
  );
}
