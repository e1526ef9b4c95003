// The "Forensics" log (Output › Forensics): every refresh, sample, capture, worker exit and
// failure goes here with its cause, so there is something to read — and to send — when a
// toast is gone. Every line passes the secret redactor first; nothing here may hold a token.
import * as vscode from 'vscode';
import { errorWithCauses } from '../../core/common/errors';
import { redactSecrets } from '../../core/common/redactSecrets';

let channel: vscode.LogOutputChannel | undefined;

function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Forensics', { log: true });
  return channel;
}

export const log = {
  info(message: string): void {
    output().info(redactSecrets(message));
  },
  warn(message: string, err?: unknown): void {
    output().warn(redactSecrets(err === undefined ? message : `${message}: ${errorWithCauses(err)}`));
  },
  error(message: string, err?: unknown): void {
    output().error(redactSecrets(err === undefined ? message : `${message}: ${errorWithCauses(err)}`));
  },
};

/**
 * An error toast whose text is also logged, with a "Show Log" action beside the caller's own.
 * Resolves to the action the user picked ("Show Log" is handled here and resolves undefined).
 */
export async function showErrorWithLog(message: string, err?: unknown, ...actions: string[]): Promise<string | undefined> {
  log.error(message, err);
  const pick = await vscode.window.showErrorMessage(redactSecrets(message), ...actions, 'Show Log');
  if (pick === 'Show Log') {
    output().show(true);
    return undefined;
  }
  return pick;
}

export function registerLog(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    output(),
    vscode.commands.registerCommand('forensics.showLog', () => output().show(true)),
    { dispose: () => (channel = undefined) },
  );
}
