// Evidence from the quick-fix rules: the findings in the failing file, each with the
// unified diff of its preferred fix, so the investigation can name the hotfix and the
// report can show it.
import { readFile } from 'node:fs/promises';
import type { CodeFinding, FailurePoint } from './evidence';

export function findingsSource(absolutePath: (point: FailurePoint) => string): (point: FailurePoint) => Promise<CodeFinding[]> {
  return async (point) => {
    // The fixes engine pulls in the Babel parser: load it only when an investigation needs it.
    const fixes = await import('../fixes');
    const file = absolutePath(point);
    const text = await readFile(file, 'utf8');
    if (!fixes.isAnalyzableFile(file)) return [];
    return fixes.analyze(text, file).map((f) => {
      const preferred = f.fixes.find((x) => x.isPreferred) ?? f.fixes[0];
      return {
        ruleId: f.ruleId,
        message: f.message,
        file: point.file,
        line: f.range.startLine,
        fix: preferred ? { title: preferred.title, diff: fixes.unifiedDiff(point.file, text, fixes.applyFix(text, preferred)) } : undefined,
      };
    });
  };
}
