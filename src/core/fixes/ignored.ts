// What the walk leaves out because the project says so: inside a git work tree git itself
// answers (`git ls-files --others --ignored --exclude-standard`, one call per repository,
// so nested .gitignore files, negations, .git/info/exclude and the user's global excludes
// all count); elsewhere the .gitignore files are read with gitignore.ts. `--exclude`
// patterns apply on top, relative to the folder the command runs in.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { decidingRule, parseIgnoreFile, type IgnoreRule } from './gitignore';

interface GitRepo {
  readonly top: string;
  /** Ignored untracked paths relative to `top`; folders end with '/'. */
  readonly ignored: ReadonlySet<string>;
}

/** The ignore state of one folder of the walk; children inherit it. */
export interface FolderIgnores {
  readonly git?: GitRepo;
  /** Without git: the .gitignore rules in force, bases relative to `rulesRoot`. */
  readonly rules: readonly IgnoreRule[];
  readonly rulesRoot: string;
}

const toSlash = (p: string) => p.split(sep).join('/');
const isInside = (parent: string, child: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return r.status === 0 ? r.stdout : undefined;
}

export class Ignores {
  private readonly repos = new Map<string, GitRepo | undefined>();
  private readonly excludes: IgnoreRule[];

  constructor(
    private readonly realRoot: string,
    excludePatterns: readonly string[],
    private readonly useGit = true,
  ) {
    this.excludes = excludePatterns.flatMap((p) => parseIgnoreFile(p, ''));
  }

  private repoAt(top: string): GitRepo | undefined {
    if (!this.repos.has(top)) {
      const out = git(top, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
      this.repos.set(top, out === undefined ? undefined : { top, ignored: new Set(out.split('\0').filter(Boolean)) });
    }
    return this.repos.get(top);
  }

  /** The ignore state for a folder the user named (not inherited from a parent). */
  forNamedFolder(realDir: string): FolderIgnores {
    if (this.useGit) {
      const top = git(realDir, ['rev-parse', '--show-toplevel'])?.trim();
      const repo = top ? this.repoAt(top) : undefined;
      if (repo) return { git: repo, rules: [], rulesRoot: realDir };
    }
    // No git: the .gitignore files from the command's folder (when the named folder is
    // inside it) down to the named folder.
    const rulesRoot = isInside(this.realRoot, realDir) ? this.realRoot : realDir;
    const chain: string[] = [];
    for (let d = realDir; ; d = dirname(d)) {
      chain.unshift(d);
      if (d === rulesRoot || dirname(d) === d) break;
    }
    return { rules: chain.flatMap((d) => this.readGitignore(d, rulesRoot)), rulesRoot };
  }

  /** The state for a subfolder: a nested repository starts its own; otherwise add its .gitignore. */
  forSubfolder(parent: FolderIgnores, realDir: string): FolderIgnores {
    if (parent.git || this.useGit) {
      if (existsSync(join(realDir, '.git'))) {
        const repo = this.useGit ? this.repoAt(realDir) : undefined;
        if (repo) return { git: repo, rules: [], rulesRoot: realDir };
      }
      if (parent.git) return parent;
    }
    return { rules: [...parent.rules, ...this.readGitignore(realDir, parent.rulesRoot)], rulesRoot: parent.rulesRoot };
  }

  private readGitignore(dir: string, rulesRoot: string): IgnoreRule[] {
    try {
      return parseIgnoreFile(readFileSync(join(dir, '.gitignore'), 'utf8'), toSlash(relative(rulesRoot, dir)));
    } catch {
      return [];
    }
  }

  /** Why an entry found while walking is left out, or undefined to scan it. */
  reason(state: FolderIgnores, realPath: string, isDir: boolean): string | undefined {
    if (isInside(this.realRoot, realPath)) {
      const rule = decidingRule(this.excludes, toSlash(relative(this.realRoot, realPath)), isDir);
      if (rule && !rule.negated) return `--exclude ${rule.source}`;
    }
    if (state.git) {
      const rel = toSlash(relative(state.git.top, realPath));
      return state.git.ignored.has(isDir ? `${rel}/` : rel) ? 'ignored by git (.gitignore)' : undefined;
    }
    const rule = decidingRule(state.rules, toSlash(relative(state.rulesRoot, realPath)), isDir);
    if (!rule || rule.negated) return undefined;
    return `ignored by ${rule.base ? `${rule.base}/` : ''}.gitignore (${rule.source})`;
  }
}

export { isInside };
