// One incident investigated against a workspace on disk: the culprit frame resolved to a
// file, the commits behind it, the quick-fix findings there, plus whatever extra sources
// the caller has (heap series, database). The CLI, the extension and the scenario suite
// all investigate through this function, so they reach the same conclusions.
import type { IncidentSummary } from '../model/incident';
import { incidentFacts, latestEventFacts } from './facts';
import { findingsSource } from './findingsSource';
import { gatherEvidence, type EvidenceSources, type GatherResult } from './gather';
import { investigate, type Investigation } from './investigation';
import { spanCodeSource } from './telemetrySources';
import { workspaceSources, type WorkspaceSourceOptions } from './workspaceSources';

export interface WorkspaceInvestigation {
  investigation: Investigation;
  /** Sources that failed, in words; the investigation names what they would have shown. */
  gaps: GatherResult['gaps'];
}

export async function investigateInWorkspace(
  summary: IncidentSummary,
  options: WorkspaceSourceOptions & { extra?: EvidenceSources },
): Promise<WorkspaceInvestigation> {
  const sources: EvidenceSources = {};
  if (options.folders.length > 0) {
    const workspace = workspaceSources(options);
    Object.assign(sources, workspace, {
      findings: findingsSource((point) => workspace.absolutePath(point)),
      locateCode: spanCodeSource(workspace, options.folders),
    });
  }
  const { evidence, gaps } = await gatherEvidence(incidentFacts(summary), latestEventFacts(summary), { ...sources, ...options.extra });
  return { investigation: investigate(evidence), gaps };
}
