// Real git repositories for tests, made in temp dirs with fixed authors and dates so
// blame and history are deterministic. git always runs with an argument array.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CommitSpec {
  message: string;
  author?: { name: string; email: string };
  /** ISO date; used for both author and committer date. */
  date: string;
  /** Files to write (path → content); null deletes the file. */
  files?: Record<string, string | null>;
  /** Renames to perform before writing files (from → to). */
  renames?: Record<string, string>;
}

export class TestRepo {
  constructor(readonly dir: string) {}

  git(args: string[], env: NodeJS.ProcessEnv = {}): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: this.dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  commit(spec: CommitSpec): string {
    for (const [from, to] of Object.entries(spec.renames ?? {})) {
      mkdirSync(dirname(join(this.dir, to)), { recursive: true });
      renameSync(join(this.dir, from), join(this.dir, to));
    }
    for (const [path, content] of Object.entries(spec.files ?? {})) {
      const full = join(this.dir, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    this.git(['add', '-A']);
    const author = spec.author ?? { name: 'Test Author', email: 'author@example.com' };
    this.git(['commit', '--quiet', '--allow-empty', '-m', spec.message], {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: spec.date,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_COMMITTER_DATE: spec.date,
    });
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  tag(name: string, ref = 'HEAD'): void {
    this.git(['tag', name, ref]);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function makeRepo(prefix = 'forensics-git-'): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const repo = new TestRepo(dir);
  repo.git(['init', '--quiet', '--initial-branch=main']);
  repo.git(['config', 'user.name', 'Test Author']);
  repo.git(['config', 'user.email', 'author@example.com']);
  repo.git(['config', 'commit.gpgsign', 'false']);
  return repo;
}

export function makeTempDir(prefix = 'forensics-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
