// Where captured snapshots live: `forensics.heap.snapshotFolder`, or the extension's global
// storage (never the workspace: snapshots are hundreds of MB and would show up in Source
// Control). Retention after each capture, "Delete Heap Snapshots…", and a confirmation
// before capturing a large heap.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/heap/format';
import { expectedSnapshotBytes, readHeapUsage } from '../../core/heap/heapUsage';
import { applyRetention, deleteSnapshots, listStoredSnapshots } from '../../core/heap/snapshotStore';

const heapConfig = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('forensics.heap');

export function snapshotFolder(context: vscode.ExtensionContext): string {
  const configured = heapConfig().get<string>('snapshotFolder')?.trim();
  return configured || vscode.Uri.joinPath(context.globalStorageUri, 'heap-snapshots').fsPath;
}

/** Deletes the oldest snapshots beyond `forensics.heap.keepSnapshots`, never the ones just taken. */
export async function keepWithinRetention(context: vscode.ExtensionContext, justTaken: string[]): Promise<string[]> {
  return applyRetention(snapshotFolder(context), heapConfig().get<number>('keepSnapshots') ?? 9, justTaken);
}

/**
 * Asks before capturing a heap above `forensics.heap.confirmAboveMB`, with the expected file
 * size and the pause. Resolves true to go on. A heap whose size cannot be read is captured
 * without asking: the capture itself then reports what is wrong.
 */
export async function confirmLargeCapture(context: vscode.ExtensionContext, address: string, snapshots = 1): Promise<boolean> {
  const limit = (heapConfig().get<number>('confirmAboveMB') ?? 256) * 1024 * 1024;
  let used: number;
  let expected: number;
  try {
    const usage = await readHeapUsage(address);
    used = usage.usedSize;
    expected = expectedSnapshotBytes(usage);
  } catch {
    return true;
  }
  if (used <= limit && limit > 0) return true;
  const files =
    snapshots > 1
      ? `${snapshots} snapshot files of up to about ${formatBytes(expected)} each`
      : `a snapshot file of up to about ${formatBytes(expected)}`;
  const choice = await vscode.window.showWarningMessage(
    `The process at ${address} uses ${formatBytes(used)} of JS heap. Capture anyway?`,
    {
      modal: true,
      detail: `This writes ${files} to ${snapshotFolder(context)}. The process stops answering while V8 writes each snapshot (seconds to minutes for a heap this size) and may need extra memory meanwhile. Capture when a pause is acceptable, or from a replica.`,
    },
    'Capture',
  );
  return choice === 'Capture';
}

/** "Delete Heap Snapshots…": the stored snapshots with their sizes, to pick and delete. */
export async function deleteStoredSnapshots(context: vscode.ExtensionContext): Promise<void> {
  const folder = snapshotFolder(context);
  const stored = await listStoredSnapshots(folder);
  if (stored.length === 0) {
    void vscode.window.showInformationMessage(`No heap snapshots in ${folder}.`);
    return;
  }
  const total = stored.reduce((sum, s) => sum + s.bytes, 0);
  const picked = await vscode.window.showQuickPick(
    stored.map((s) => ({
      label: basename(s.file),
      description: formatBytes(s.bytes),
      detail: new Date(s.modifiedMs).toLocaleString(),
      file: s.file,
    })),
    {
      title: `Delete heap snapshots (${stored.length}, ${formatBytes(total)} in ${folder})`,
      canPickMany: true,
      placeHolder: 'pick the snapshots to delete',
    },
  );
  if (!picked?.length) return;
  const freed = await deleteSnapshots(
    folder,
    picked.map((p) => p.file),
  );
  vscode.window.setStatusBarMessage(
    `Forensics: deleted ${picked.length} heap snapshot${picked.length === 1 ? '' : 's'}, ${formatBytes(freed)} freed`,
    10_000,
  );
}
