// The folder a spec opens: the demo service's workspace when it exists, otherwise a small
// throw-away folder inside the run's temp dir.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eEnvironment } from './environment';

/** A fresh folder with the given files (relative path → content). */
export function workspaceFolder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(e2eEnvironment().runDir, 'workspace-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** test/demo/app if it is there, else a folder with one README. */
export function demoOrTempWorkspace(): string {
  const demo = join(e2eEnvironment().repoRoot, 'test/demo/app');
  return existsSync(demo) ? demo : workspaceFolder({ 'README.md': '# checkout-api\n' });
}
