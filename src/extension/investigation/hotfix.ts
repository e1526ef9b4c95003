// The hotfix step follows the code: once the finding it offers to fix is gone from the
// file's Forensics diagnostics (the fix applied from the step, the quick-fix menu or by
// hand), the step says so and no longer offers "Apply the fix" on code that has it.
import * as vscode from 'vscode';
import type { Investigation, StepLink } from '../../core/triage/investigation';
import { diagnosticRule } from '../fixes/analysis';

type ApplyFixLink = Extract<StepLink, { kind: 'apply-fix' }>;

export function applyFixLink(investigation: Investigation): ApplyFixLink | undefined {
  for (const step of investigation.steps) {
    const link = step.links.find((l): l is ApplyFixLink => l.kind === 'apply-fix');
    if (step.id === 'hotfix' && link) return link;
  }
  return undefined;
}

/** The investigation with its hotfix marked applied and the apply link gone. */
export function withHotfixApplied(investigation: Investigation): Investigation {
  return {
    ...investigation,
    steps: investigation.steps.map((s) =>
      s.id === 'hotfix' && s.links.some((l) => l.kind === 'apply-fix')
        ? {
            ...s,
            summary: `Applied: ${s.summary}`,
            details: [...s.details, 'the fix is in the file (no Forensics finding of this rule is left there); review it and commit'],
            links: s.links.filter((l) => l.kind !== 'apply-fix'),
          }
        : s,
    ),
  };
}

export function fileHasFinding(uri: vscode.Uri, ruleId: string): boolean {
  return vscode.languages.getDiagnostics(uri).some((d) => diagnosticRule(d) === ruleId);
}

/**
 * Calls `onApplied` when the finding the link points at leaves the file's diagnostics.
 * Only after it was seen there: diagnostics not computed yet are not a fix.
 */
export function watchHotfix(uri: vscode.Uri, ruleId: string, onApplied: () => void): vscode.Disposable {
  let seen = fileHasFinding(uri, ruleId);
  const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
    if (!e.uris.some((u) => u.toString() === uri.toString())) return;
    const present = fileHasFinding(uri, ruleId);
    if (present) seen = true;
    else if (seen) {
      subscription.dispose();
      onApplied();
    }
  });
  return subscription;
}
