// Writing a fixed file without surprising anyone: only a regular file inside the scanned
// tree, only one that was writable (judged by its mode bits, since root passes every
// access(2) check and would otherwise rewrite a file someone made read-only), and
// atomically (a temporary file in the same folder, renamed over the original) so a crash
// or a full disk never leaves half a file. The mode and, for root, the owner carry over.
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isInside } from './ignored';

export class RefusedWrite extends Error {}

/** Why `st` may not be rewritten by this process, or undefined when it may. */
export function notWritableReason(path: string, st: Stats): string | undefined {
  const uid = process.getuid?.();
  const writeBits = st.mode & 0o222;
  if (writeBits === 0) return 'read-only (no write permission bits); left as it is';
  if (uid !== undefined && uid === st.uid && (st.mode & 0o200) === 0) return 'read-only for its owner; left as it is';
  if (uid === 0) return undefined; // root: the mode bits above are the only check that means anything
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (err) {
    return `not writable (${(err as NodeJS.ErrnoException).code ?? 'access denied'})`;
  }
}

/** Replaces the file at `realPath` with `text`; throws RefusedWrite with the reason when it must not. */
export function writeFileSafely(realPath: string, text: string, boundaries: readonly string[]): void {
  const st = lstatSync(realPath);
  if (st.isSymbolicLink() || realpathSync(realPath) !== realPath)
    throw new RefusedWrite('became a symlink since it was scanned; left as it is');
  if (!st.isFile()) throw new RefusedWrite('not a regular file');
  if (!boundaries.some((b) => isInside(b, realPath))) throw new RefusedWrite('outside the scanned tree');
  const why = notWritableReason(realPath, st);
  if (why) throw new RefusedWrite(why);
  const temp = join(dirname(realPath), `.${basename(realPath)}.forensics-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    fchmodSync(fd, st.mode & 0o7777); // openSync's mode passes through the umask
    if (process.getuid?.() === 0) fchownSync(fd, st.uid, st.gid);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, realPath);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}
