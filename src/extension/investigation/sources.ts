// Where the extension's investigation gets its evidence: the open workspace folders and
// the user's path mappings (stack resolution, git, quick-fix rules, all in the core), plus
// the heap series and the database when those features have something to offer. The heap
// and database features answer through internal commands so this view does not depend on
// their code being loaded (or present).
import * as vscode from 'vscode';
import type { DatabaseFacts, HeapFacts } from '../../core/triage/evidence';
import type { EvidenceSources } from '../../core/triage/gather';
import type { WorkspaceSourceOptions } from '../../core/triage/workspaceSources';
import { parsePathMappings } from '../../core/stack/pathResolve';

async function fromCommand<T>(id: string): Promise<T | undefined> {
  if (!(await vscode.commands.getCommands(true)).includes(id)) return undefined;
  return vscode.commands.executeCommand<T | undefined>(id);
}

export function investigationOptions(): WorkspaceSourceOptions & { extra: EvidenceSources } {
  const folders = (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
  return {
    folders,
    mappings: parsePathMappings(vscode.workspace.getConfiguration('forensics').get('pathMappings')),
    extra: {
      heap: () => fromCommand<HeapFacts>('forensics.internal.heapEvidence'),
      database: () => fromCommand<DatabaseFacts>('forensics.internal.databaseEvidence'),
    },
  };
}
