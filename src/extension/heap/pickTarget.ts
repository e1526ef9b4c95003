// Where to capture from: a local Node process (listed from /proc; one without an
// inspector can have it enabled with SIGUSR1 after we say what that does), the address
// in `forensics.heap.inspectorAddress`, or an address typed in.
import * as vscode from 'vscode';
import { DEFAULT_INSPECTOR_ADDRESS, parseInspectorAddress } from '../../core/heap/inspector';
import { orderProcesses } from '../../core/heap/processOrder';
import { enableInspector, listNodeProcesses, SIGUSR1_EXPLANATION, type NodeProcess } from '../../core/heap/processes';

interface TargetItem extends vscode.QuickPickItem {
  address?: string;
  process?: NodeProcess;
  typeIn?: boolean;
  showAll?: boolean;
}

export function configuredAddress(): string {
  return vscode.workspace.getConfiguration('forensics.heap').get<string>('inspectorAddress') || DEFAULT_INSPECTOR_ADDRESS;
}

/** Resolves to an inspector address, or undefined when the user backs out. */
export async function pickInspectorAddress(): Promise<string | undefined> {
  const configured = configuredAddress();
  const items: TargetItem[] = [
    { label: `$(plug) Inspector at ${configured}`, description: 'forensics.heap.inspectorAddress', address: configured },
  ];
  let processes: NodeProcess[] = [];
  try {
    processes = await listNodeProcesses();
  } catch {
    // Not listable here (no /proc): the address items remain.
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const { first, rest } = await orderProcesses(processes, folders);
  const processItem = (p: NodeProcess): TargetItem => ({
    label: `${p.inspector ? '$(debug)' : '$(circle-outline)'} ${p.pid}`,
    description: p.inspector
      ? `inspector ${p.inspector}`
      : process.platform === 'win32'
        ? 'no inspector'
        : 'no inspector: can be enabled (SIGUSR1)',
    detail: p.commandLine,
    process: p,
    address: p.inspector,
  });
  if (first.length)
    items.push({ label: 'Inspector enabled or in this workspace', kind: vscode.QuickPickItemKind.Separator }, ...first.map(processItem));
  const showAll: TargetItem = { label: `$(list-unordered) Show all Node processes (${rest.length} more)…`, showAll: true };
  if (rest.length) items.push(showAll);
  items.push({ label: '$(edit) Enter an inspector address…', typeIn: true });
  let chosen = await vscode.window.showQuickPick(items, {
    title: 'Capture a heap snapshot from',
    placeHolder: 'a Node process or an inspector address',
    matchOnDetail: true,
  });
  if (chosen?.showAll) {
    chosen = await vscode.window.showQuickPick([...first, ...rest].map(processItem), {
      title: 'Capture a heap snapshot from: all Node processes',
      placeHolder: 'filter by pid or command line',
      matchOnDetail: true,
    });
  }
  if (!chosen) return undefined;
  if (chosen.typeIn) {
    return vscode.window.showInputBox({
      title: 'Inspector address',
      value: configured,
      prompt: 'HOST:PORT of a Node inspector (node --inspect=HOST:PORT)',
      validateInput: (v) => {
        try {
          parseInspectorAddress(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
  }
  if (chosen.address) return chosen.address;
  const p = chosen.process!;
  if (process.platform === 'win32') {
    void vscode.window.showWarningMessage(
      `Process ${p.pid} has no inspector. On Windows it cannot be enabled from outside: restart it with --inspect.`,
    );
    return undefined;
  }
  const ok = await vscode.window.showWarningMessage(
    `Enable the inspector of process ${p.pid}?`,
    { modal: true, detail: SIGUSR1_EXPLANATION },
    'Enable Inspector',
  );
  if (ok !== 'Enable Inspector') return undefined;
  return enableInspector(p.pid);
}
