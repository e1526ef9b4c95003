// A commit's change to one file, as VS Code's diff editor: both sides are read-only
// documents served from `git show <rev>:<path>` through the core git functions.
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { GitRepo, openRepo } from '../../core/git/repo';

export const COMMIT_SCHEME = 'forensics-commit';

interface CommitFileRef {
  readonly root: string;
  readonly rev: string;
  readonly path: string;
}

function commitUri(ref: CommitFileRef): vscode.Uri {
  // The path keeps the file name (and so the language) visible; the query says where from.
  return vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${ref.path}`, query: JSON.stringify({ root: ref.root, rev: ref.rev }) });
}

export class CommitContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { root, rev } = JSON.parse(uri.query) as { root: string; rev: string };
    // Before the first commit, or before the file existed, the left side is empty.
    return (await new GitRepo(root, false).show(rev, uri.path.slice(1))) ?? '';
  }
}

/**
 * Opens the diff of `sha` for `file` (absolute, or relative to the first workspace folder).
 * `pathInCommit` / `previousPath` name the file as it was then, when it was renamed since.
 */
export async function openCommitDiff(sha: string, file: string, pathInCommit?: string, previousPath?: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const abs = isAbsolute(file) ? file : join(folder ?? '.', file);
  const opened = await openRepo(abs);
  const fallback = folder ? await openRepo(folder) : opened;
  const repoResult = opened.ok ? opened : fallback;
  if (!repoResult.ok) {
    void vscode.window.showWarningMessage(`Cannot show commit ${sha.slice(0, 7)}: ${repoResult.reason}`);
    return;
  }
  const repo = repoResult.repo;
  const after = pathInCommit ?? repo.relPath(abs);
  const before = previousPath ?? after;
  const short = sha.slice(0, 7);
  const name = after.split('/').pop() ?? after;
  await vscode.commands.executeCommand(
    'vscode.diff',
    commitUri({ root: repo.root, rev: `${sha}^`, path: before }),
    commitUri({ root: repo.root, rev: sha, path: after }),
    `${name} (${short}^ ↔ ${short})`,
    { preview: true },
  );
}
