// A tree that has nothing to show yet. A view needs a data provider for its welcome
// content (the "what to configure" text and buttons) to render instead of an error.
import * as vscode from 'vscode';

export class EmptyTree implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
  getChildren(): never[] {
    return [];
  }
}
