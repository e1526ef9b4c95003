// The investigation's state per incident, kept in the workspace: which steps the user
// marked done and the notes they added. The investigation itself is recomputed from
// evidence; only what the user said is stored.
import type * as vscode from 'vscode';
import type { StepId } from '../../core/triage/investigation';

export interface UserState {
  done: StepId[];
  notes: Partial<Record<StepId, string>>;
}

const key = (incidentId: string) => `forensics.investigation.${incidentId}`;

export class InvestigationState {
  constructor(private readonly memento: vscode.Memento) {}

  get(incidentId: string): UserState {
    const stored = this.memento.get<UserState>(key(incidentId));
    return { done: [...(stored?.done ?? [])], notes: { ...(stored?.notes ?? {}) } };
  }

  async setDone(incidentId: string, step: StepId, done: boolean): Promise<void> {
    const state = this.get(incidentId);
    state.done = done ? [...new Set([...state.done, step])] : state.done.filter((s) => s !== step);
    await this.memento.update(key(incidentId), state);
  }

  async setNote(incidentId: string, step: StepId, note: string): Promise<void> {
    const state = this.get(incidentId);
    if (note.trim()) state.notes[step] = note.trim();
    else delete state.notes[step];
    await this.memento.update(key(incidentId), state);
  }
}
