// A base for objects that own VS Code resources: everything registered with `_register`
// is disposed with the owner, so a feature never drops a listener or a command.
import * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Dispose in reverse order of registration: later resources may depend on earlier ones.
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
