// Wires the Investigation view: follows the incident selected in the Incidents view,
// gathers the evidence, shows the steps, keeps the user's checks and notes per incident,
// and exports the Markdown report where the user asks (exportReport.ts).
import * as vscode from 'vscode';
import type { IncidentSummary } from '../../core/model/incident';
import { investigateInWorkspace } from '../../core/triage/investigateWorkspace';
import type { Investigation, StepId, StepLink } from '../../core/triage/investigation';
import { InvestigationState } from './model';
import { InvestigationTree, type InvestigationNode } from './tree';
import { investigationOptions } from './sources';
import { counted } from '../../core/stack/format';
import { log, showErrorWithLog } from '../common/log';
import { errorMessage } from '../../core/common/errors';
import { exportReport } from './exportReport';
import { InvestigationDetail } from './detailDocument';
import { applyFixLink, watchHotfix, withHotfixApplied } from './hotfix';

async function commandExists(id: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(id);
}

export function registerInvestigation(context: vscode.ExtensionContext): void {
  const state = new InvestigationState(context.workspaceState);
  const tree = new InvestigationTree();
  const view = vscode.window.createTreeView<InvestigationNode>('forensics.investigation', {
    treeDataProvider: tree,
    showCollapseAll: false,
  });
  const detail = new InvestigationDetail();
  context.subscriptions.push(detail);
  let current: IncidentSummary | undefined;
  let hotfixWatch: vscode.Disposable | undefined;
  context.subscriptions.push({ dispose: () => hotfixWatch?.dispose() });

  /** The hotfix step stops offering its fix once the finding is gone from the file. */
  const markHotfixApplied = () => {
    hotfixWatch?.dispose();
    hotfixWatch = undefined;
    if (current && tree.investigation && applyFixLink(tree.investigation))
      showInvestigation(current, withHotfixApplied(tree.investigation));
  };
  /** The sidebar's checklist and the detail beside the editor always show the same state. */
  const showInvestigation = (summary: IncidentSummary, investigation: Investigation) => {
    const user = state.get(summary.id);
    tree.show(investigation, user);
    detail.update(summary, investigation, user);
  };
  const followHotfix = (investigation: Investigation) => {
    hotfixWatch?.dispose();
    hotfixWatch = undefined;
    const link = applyFixLink(investigation);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (link && folder) hotfixWatch = watchHotfix(vscode.Uri.joinPath(folder.uri, link.file), link.ruleId, markHotfixApplied);
  };

  /**
   * Investigates one incident. Asked for by name (the command, a CodeLens), it also says so
   * in a notification and opens the detail beside the editor; a selection in the Incidents
   * view only updates the sidebar, which is where the user is looking.
   */
  const run = async (summary: IncidentSummary, asked = false): Promise<void> => {
    current = summary;
    tree.setLoading(summary.title);
    const name = summary.shortId || summary.id;
    const location = asked ? vscode.ProgressLocation.Notification : { viewId: 'forensics.investigation' };
    try {
      await vscode.window.withProgress({ location, title: asked ? `Forensics: investigating ${name}` : 'Investigating' }, async () => {
        const started = Date.now();
        const { investigation, gaps } = await investigateInWorkspace(summary, investigationOptions());
        log.info(
          `Investigation of ${summary.shortId || summary.id}: ${investigation.candidates[0]?.bugClass ?? 'no bug class'} in ${Date.now() - started} ms${gaps.length ? `; missing: ${gaps.map((g) => `${g.source} (${g.reason})`).join('; ')}` : ''}`,
        );
        showInvestigation(summary, investigation);
        followHotfix(investigation);
        view.description = summary.shortId || summary.id;
        if (gaps.length) view.message = `Some evidence could not be gathered: ${gaps.map((g) => `${g.source} (${g.reason})`).join('; ')}`;
        else view.message = undefined;
      });
    } catch (err) {
      view.message = `The investigation of ${summary.shortId || summary.id} failed: ${errorMessage(err)}`;
      void showErrorWithLog(`Forensics: the investigation of ${summary.shortId || summary.id} failed: ${errorMessage(err)}`, err);
    }
  };

  const refreshUserState = () => {
    if (current && tree.investigation) showInvestigation(current, tree.investigation);
  };
  const revealDetail = async () => {
    if (!current || !tree.investigation) {
      void vscode.window.showInformationMessage('Select an incident in the Incidents view first: its investigation shows here.');
      return;
    }
    await detail.reveal(detail.uriFor(current));
  };

  context.subscriptions.push(
    view,
    view.onDidChangeCheckboxState(async (e) => {
      for (const [node, checked] of e.items) {
        if (node.kind === 'step') await state.setDone(node.incidentId, node.step.id, checked === vscode.TreeItemCheckboxState.Checked);
      }
      refreshUserState();
    }),
    vscode.commands.registerCommand('forensics.internal.incidentSelected', (summary: IncidentSummary) => run(summary)),
    vscode.commands.registerCommand('forensics.investigateIncident', async (summary?: IncidentSummary) => {
      if (!summary) {
        const snapshot = async () =>
          (await commandExists('forensics.internal.incidentsSnapshot'))
            ? ((await vscode.commands.executeCommand<IncidentSummary[]>('forensics.internal.incidentsSnapshot')) ?? [])
            : [];
        let incidents = await snapshot();
        // Nothing loaded yet (the Incidents view was never shown): the user asked, so load now.
        if (incidents.length === 0) {
          await vscode.commands.executeCommand('forensics.refreshIncidents');
          incidents = await snapshot();
        }
        if (incidents.length === 0) {
          const pick = await vscode.window.showInformationMessage(
            'There are no incidents to investigate yet: connect Sentry to load them.',
            'Connect Sentry',
          );
          if (pick) await vscode.commands.executeCommand('forensics.connectSentry');
          return;
        }
        const chosen = await vscode.window.showQuickPick(
          incidents.map((i) => ({
            label: i.title,
            description: `${i.shortId} · ${counted(i.count, 'event')}`,
            detail: i.culprit,
            incident: i,
          })),
          { title: 'Investigate which incident?' },
        );
        if (!chosen) return;
        summary = chosen.incident;
      }
      await vscode.commands.executeCommand('forensics.investigation.focus');
      await run(summary, true);
      const header = tree.header();
      if (header && current === summary) {
        await view.reveal(header, { select: true, focus: false });
        await revealDetail();
      }
    }),
    vscode.commands.registerCommand('forensics.showInvestigationDetails', revealDetail),
    vscode.commands.registerCommand('forensics.investigation.addNote', async (node?: InvestigationNode) => {
      if (!current || node?.kind !== 'step') return;
      const existing = state.get(current.id).notes[node.step.id] ?? '';
      const note = await vscode.window.showInputBox({
        title: `Note on "${node.step.title}"`,
        value: existing,
        prompt: 'Kept in this workspace and included in the report (secrets are redacted).',
      });
      if (note === undefined) return;
      await state.setNote(current.id, node.step.id as StepId, note);
      refreshUserState();
    }),
    vscode.commands.registerCommand('forensics.internal.followInvestigationLink', (link: StepLink) => followLink(link)),
    vscode.commands.registerCommand('forensics.exportIncidentReport', async () => {
      const investigation = tree.investigation;
      if (!investigation || !current) {
        void vscode.window.showInformationMessage(
          'Select an incident in the Incidents view (or run "Forensics: Investigate Incident") first; the report is made from its investigation.',
        );
        return;
      }
      await exportReport(investigation, current, state.get(current.id));
    }),
  );

  async function followLink(link: StepLink): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    switch (link.kind) {
      case 'open-frame':
      case 'apply-fix': {
        if (!folder) return;
        const uri = vscode.Uri.joinPath(folder.uri, link.file);
        const line = Math.max(0, link.line - 1);
        const column = link.kind === 'open-frame' ? Math.max(0, (link.column ?? 1) - 1) : 0;
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, column, line, column), preview: false });
        if (link.kind === 'apply-fix') {
          // The step updates itself when the finding leaves the diagnostics (followHotfix):
          // the user may pick another rule's fix on this line, which leaves it to do.
          if (await commandExists('forensics.applyFixAtLine'))
            await vscode.commands.executeCommand('forensics.applyFixAtLine', uri, link.line);
          else await vscode.commands.executeCommand('editor.action.quickFix');
        }
        return;
      }
      case 'open-commit':
        if (await commandExists('forensics.internal.openCommitDiff'))
          await vscode.commands.executeCommand('forensics.internal.openCommitDiff', link.sha, link.file);
        return;
      case 'open-heap-diff':
        await vscode.commands.executeCommand('forensics.compareHeapSnapshots');
        return;
      case 'open-slow-queries':
        await vscode.commands.executeCommand('forensics.showSlowQueries');
        return;
    }
  }
}
