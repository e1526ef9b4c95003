// The evidence sources the extension can offer an investigation: each one wraps a core
// module (workspace resolution, git, quick-fix rules, heap diffs, the database).
import type { EvidenceSources } from '../../core/triage/gather';

export function createEvidenceSources(): EvidenceSources {
  return {};
}
