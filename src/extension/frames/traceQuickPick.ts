// A pasted trace as a quick pick of frames: innermost first as a trace reads, grouped
// by exception, the culprit (innermost in-app frame) preselected.
import * as vscode from 'vscode';
import { culpritFrame, type ExceptionInfo, type StackFrame } from '../../core/model/frame';
import { describeFrameLocation } from '../../core/stack/format';

interface FrameItem extends vscode.QuickPickItem {
  readonly frame?: StackFrame;
  readonly exception?: ExceptionInfo;
}

export function exceptionTitle(e: ExceptionInfo): string {
  const first = e.value.split('\n')[0];
  return first ? `${e.type}: ${first}` : e.type;
}

export async function pickFrame(
  exceptions: readonly ExceptionInfo[],
): Promise<{ frame: StackFrame; exception: ExceptionInfo } | undefined> {
  const items: FrameItem[] = [];
  let active: FrameItem | undefined;
  // The thrown error is last in Sentry's order; show it first.
  for (const e of [...exceptions].reverse()) {
    if (e.frames.length === 0) continue;
    items.push({ label: exceptionTitle(e), kind: vscode.QuickPickItemKind.Separator });
    const culprit = culpritFrame(e.frames);
    for (const frame of [...e.frames].reverse()) {
      const item: FrameItem = {
        label: `${frame.inApp ? '$(symbol-method)' : '$(library)'} ${frame.function && frame.function !== '?' ? frame.function : '<anonymous>'}`,
        description: describeFrameLocation({ ...frame, function: undefined }),
        detail: frame.inApp ? undefined : 'not application code',
        frame,
        exception: e,
      };
      items.push(item);
      if (frame === culprit && !active) active = item;
    }
  }
  const qp = vscode.window.createQuickPick<FrameItem>();
  qp.title = 'Open which frame?';
  qp.placeholder = 'The culprit (innermost application frame) is selected';
  qp.items = items;
  if (active) qp.activeItems = [active];
  const chosen = await new Promise<FrameItem | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0] ?? qp.activeItems[0]));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  return chosen?.frame && chosen.exception ? { frame: chosen.frame, exception: chosen.exception } : undefined;
}
