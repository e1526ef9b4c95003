// The one place git runs: `execFile` with an argument array (never a shell), a fixed
// locale so messages parse, no prompts, and no optional locks so a read never blocks
// the user's own git commands.
import { execFile } from 'node:child_process';

export type GitErrorKind = 'git-missing' | 'not-a-repository' | 'failed';

export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: GitErrorKind,
    readonly stderr = '',
    readonly exitCode?: number,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitResult {
  readonly stdout: string;
  readonly exitCode: number;
}

/** Runs git in `cwd`; resolves on exit codes listed in `okCodes` (default only 0). */
export function runGit(cwd: string, args: readonly string[], okCodes: readonly number[] = [0]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        windowsHide: true,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
        if (!err) return resolve({ stdout, exitCode: 0 });
        if (err.code === 'ENOENT') return reject(new GitError('git is not installed or not on PATH', 'git-missing'));
        const exitCode = typeof err.code === 'number' ? err.code : 1;
        if (okCodes.includes(exitCode)) return resolve({ stdout, exitCode });
        const first = stderr.split('\n').find((l) => l.trim()) ?? err.message;
        const kind: GitErrorKind = /not a git repository/i.test(stderr) ? 'not-a-repository' : 'failed';
        reject(new GitError(first.replace(/^fatal:\s*/, ''), kind, stderr, exitCode));
      },
    );
  });
}

export async function git(cwd: string, args: readonly string[]): Promise<string> {
  return (await runGit(cwd, args)).stdout;
}
