// Host side of a panel's protocol: answers typed requests (replies paired by id), runs
// typed commands, and holds notifications until the webview says `ready`.
import * as vscode from 'vscode';
import { isEnvelope, type HostMessage, type ProtocolShape, type WebviewMessage } from '../../../webview/shared/ipc';
import { Disposable } from './disposable';
import { panelHtml } from './webviewHtml';

type RequestHandlers<P extends ProtocolShape> = {
  [M in keyof P['requests']]: (params: P['requests'][M]['params']) => Promise<P['requests'][M]['result']> | P['requests'][M]['result'];
};
type CommandHandlers<P extends ProtocolShape> = {
  [M in keyof P['commands']]: (params: P['commands'][M]) => void | Promise<void>;
};

export interface PanelHostOptions<P extends ProtocolShape> {
  viewType: string;
  title: string;
  extensionUri: vscode.Uri;
  /** Name of the bundle under dist/webview (the folder name under webview/). */
  bundle: string;
  requests: RequestHandlers<P>;
  commands: CommandHandlers<P>;
  column?: vscode.ViewColumn;
}

export class PanelHost<P extends ProtocolShape> extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private isReady = false;
  private readonly queue: HostMessage<P>[] = [];
  private readonly readyWaiters: (() => void)[] = [];

  constructor(private readonly options: PanelHostOptions<P>) {
    super();
    const distWebview = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview');
    this.panel = this._register(
      vscode.window.createWebviewPanel(options.viewType, options.title, options.column ?? vscode.ViewColumn.Active, {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [distWebview],
      }),
    );
    const webview = this.panel.webview;
    webview.html = panelHtml({
      title: options.title,
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distWebview, `${options.bundle}.js`)).toString(),
    });
    this._register(webview.onDidReceiveMessage((m: unknown) => void this.receive(m)));
    this._register(this.panel.onDidDispose(() => this.dispose()));
  }

  notify<M extends keyof P['notifications'] & string>(method: M, params: P['notifications'][M]): void {
    const message = { kind: 'notify', method, params } as HostMessage<P>;
    if (this.isReady) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  /** Resolves once the webview has said `ready`. */
  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isEnvelope(raw)) return;
    const message = raw as WebviewMessage<P>;
    if (message.kind === 'ready') {
      // A reload of the webview says ready again: it has lost its state, so it gets
      // whatever is queued now; the panel's own code re-sends the current model.
      this.isReady = true;
      for (const queued of this.queue.splice(0)) void this.panel.webview.postMessage(queued);
      for (const w of this.readyWaiters.splice(0)) w();
      return;
    }
    if (message.kind === 'command') {
      const handler = this.options.commands[message.method as keyof P['commands']];
      try {
        await handler?.(message.params as P['commands'][keyof P['commands']]);
      } catch (err) {
        void vscode.window.showErrorMessage(`Forensics: ${err instanceof Error ? err.message : String(err)}`);
      }
      return;
    }
    if (message.kind === 'request') {
      const handler = this.options.requests[message.method as keyof P['requests']];
      let reply: HostMessage<P>;
      try {
        if (!handler) throw new Error(`unknown request ${String(message.method)}`);
        const result = await handler(message.params as P['requests'][keyof P['requests']]['params']);
        reply = { kind: 'reply', id: message.id, ok: true, result };
      } catch (err) {
        reply = { kind: 'reply', id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      void this.panel.webview.postMessage(reply);
    }
  }
}
