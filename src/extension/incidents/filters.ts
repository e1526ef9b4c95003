// The title-bar filter prompts: environment, Sentry search query, sort. Each returns the
// new value, or undefined when the user cancelled.
import * as vscode from 'vscode';
import { ISSUE_SORTS, type IssueSort } from '../../core/sentry/client';
import { SORT_LABELS } from '../../core/sentry/incidentFilters';

const ALL = 'All environments';
const OTHER = 'Other environment…';

export async function pickEnvironment(current: string, known: readonly (string | undefined)[]): Promise<string | undefined> {
  const names = [...new Set([current, ...known].filter((n): n is string => !!n))].sort();
  const items: vscode.QuickPickItem[] = [
    { label: ALL, description: current ? undefined : 'current' },
    ...names.map((name) => ({ label: name, description: name === current ? 'current' : undefined })),
    { label: OTHER },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Show incidents from which environment?' });
  if (!picked) return undefined;
  if (picked.label === ALL) return '';
  if (picked.label !== OTHER) return picked.label;
  const typed = await vscode.window.showInputBox({
    title: 'Environment',
    prompt: 'As your SDK reports it (Sentry.init({ environment }))',
    value: current,
  });
  return typed?.trim();
}

export async function askQuery(current: string): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: 'Search incidents',
    prompt: 'Sentry search syntax, e.g. is:unresolved level:error release:1.4.0 (empty: all issues)',
    value: current,
  });
  return typed?.trim();
}

export async function pickSort(current: IssueSort): Promise<IssueSort | undefined> {
  const items = ISSUE_SORTS.map((sort) => ({ label: SORT_LABELS[sort], description: sort === current ? 'current' : undefined, sort }));
  return (await vscode.window.showQuickPick(items, { title: 'Sort incidents by' }))?.sort;
}
