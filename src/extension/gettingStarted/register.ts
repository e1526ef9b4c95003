// "Get started": the walkthrough that explains what to configure for each feature.
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'production-forensics.production-forensics#forensics.gettingStarted';

export function registerGettingStarted(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('forensics.showGettingStarted', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  );
}
