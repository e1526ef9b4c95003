// Wires the Incidents view: the tree, refresh, connect / sign out, the title-bar filters,
// the item menu (open in Sentry, copy link, copy short id), frames that open in the
// editor, and the internal commands other features call.
import * as vscode from 'vscode';
import type { ExceptionInfo, StackFrame } from '../../core/model/frame';
import type { IncidentSummary } from '../../core/model/incident';
import { withFilter } from '../../core/sentry/incidentFilters';
import { withLatestEvent } from '../../core/sentry/normalize';
import type { FrameContext, IncidentNode } from '../../core/sentry/incidentTree';
import { IncidentsController } from './controller';
import { pickEnvironment, pickSort, askQuery } from './filters';
import { openIncidentFrame } from './openFrame';

async function commandExists(id: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(id);
}

export function registerIncidents(context: vscode.ExtensionContext): void {
  const controller = new IncidentsController(context);
  const { view, store, tree } = controller;

  /** The incident a menu command acts on: the clicked row, else the selected one. */
  const incidentOf = (node?: IncidentNode): IncidentSummary | undefined => {
    const target = node ?? view.selection[0];
    const incident =
      target?.kind === 'incident' || target?.kind === 'event'
        ? target.incident
        : target?.kind === 'frame' || target?.kind === 'exception'
          ? target.context.incident
          : undefined;
    if (!incident) void vscode.window.showInformationMessage('Select an incident from Sentry in the Incidents view first.');
    return incident;
  };

  const linkOf = (incident: IncidentSummary): string | undefined => {
    if (incident.permalink) return incident.permalink;
    void vscode.window.showWarningMessage(`Sentry gave no link for ${incident.shortId}.`);
    return undefined;
  };

  context.subscriptions.push(
    controller,
    vscode.commands.registerCommand('forensics.refreshIncidents', () => controller.refresh(true)),
    vscode.commands.registerCommand('forensics.connectSentry', async () => {
      if (await controller.connection.connect()) await controller.refresh(true);
    }),
    vscode.commands.registerCommand('forensics.signOutSentry', async () => {
      await controller.connection.signOut();
      await controller.refresh(false);
    }),
    vscode.commands.registerCommand('forensics.filterIncidentsByEnvironment', async () => {
      const known = store.summaries().map((i) => i.latestEvent?.environment);
      const environment = await pickEnvironment(controller.filters.environment, known);
      if (environment !== undefined) await controller.remember(withFilter(controller.remembered, 'environment', environment));
    }),
    vscode.commands.registerCommand('forensics.searchIncidents', async () => {
      const query = await askQuery(controller.filters.query);
      if (query !== undefined) await controller.remember(withFilter(controller.remembered, 'query', query));
    }),
    vscode.commands.registerCommand('forensics.sortIncidents', async () => {
      const sort = await pickSort(controller.filters.sort);
      if (sort !== undefined) await controller.remember(withFilter(controller.remembered, 'sort', sort));
    }),
    vscode.commands.registerCommand('forensics.openIncidentInSentry', async (node?: IncidentNode) => {
      const incident = incidentOf(node);
      const link = incident && linkOf(incident);
      if (link) await vscode.env.openExternal(vscode.Uri.parse(link));
    }),
    vscode.commands.registerCommand('forensics.copyIncidentLink', async (node?: IncidentNode) => {
      const incident = incidentOf(node);
      const link = incident && linkOf(incident);
      if (!link) return;
      await vscode.env.clipboard.writeText(link);
      void vscode.window.setStatusBarMessage(`Copied the link to ${incident.shortId}`, 4000);
    }),
    vscode.commands.registerCommand('forensics.copyIncidentShortId', async (node?: IncidentNode) => {
      const incident = incidentOf(node);
      if (!incident) return;
      await vscode.env.clipboard.writeText(incident.shortId);
      void vscode.window.setStatusBarMessage(`Copied ${incident.shortId}`, 4000);
    }),
    vscode.commands.registerCommand('forensics.internal.showIncidents', () => controller.reveal()),
    vscode.commands.registerCommand('forensics.internal.openIncidentFrame', (frame: StackFrame, frameContext: FrameContext) =>
      openIncidentFrame(frame, frameContext),
    ),
    vscode.commands.registerCommand('forensics.internal.incidentsSnapshot', (): IncidentSummary[] => store.summaries()),
    vscode.commands.registerCommand('forensics.internal.showTraceInIncidents', (title: string, exceptions: ExceptionInfo[]) => {
      // Shown without taking focus: the caller is usually in the middle of a quick pick or
      // opening the frame in an editor, and focusing the view would dismiss or cover that.
      tree.trace = { title, exceptions };
      tree.refresh();
    }),
    view.onDidChangeSelection(async (e) => {
      const node = e.selection[0];
      if (node?.kind !== 'incident' || !(await commandExists('forensics.internal.incidentSelected'))) return;
      // The investigation reads the failing frame from the latest event: load it first when we can.
      const event = await controller.latestEvent(node.incident).catch(() => undefined);
      await vscode.commands.executeCommand(
        'forensics.internal.incidentSelected',
        event ? withLatestEvent(node.incident, event) : node.incident,
      );
    }),
  );
  // No refresh here: activation (any JS/TS file opens) sends nothing; the controller starts
  // when the view is first shown or a command asks for incidents.
}
