// `--out FILE` is checked before any work starts: a capture or an investigation that takes
// minutes must not end in "is a directory", "permission denied" or a file silently
// replaced. A folder is refused (the caller names the file; scripts then know its path),
// an existing file is kept unless --force, and the folder must take a new file, which is
// tried for real (a probe file created and removed), so permissions, read-only mounts and
// a path through a regular file all fail here.
import { constants, promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from './framework';

export const FORCE_OPTION = { force: { type: 'boolean' } } as const;

/** Throws a CliError (exit 2) when `file` cannot be written as asked; creates its folder. */
export async function checkOutFile(file: string, flag: string, force: boolean): Promise<void> {
  let info: Awaited<ReturnType<typeof fsp.stat>> | undefined;
  try {
    info = await fsp.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Absent, or a path through a file: the folder check below says which.
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      throw new CliError(`${flag} ${file}: cannot use this path (${code ?? (err as Error).message})`, 2);
  }
  if (info?.isDirectory())
    throw new CliError(`${flag} ${file} is a folder; give the path of the file to write, e.g. ${join(file, 'name')}`, 2);
  if (info && !force) throw new CliError(`${flag} ${file} already exists; pass --force to replace it, or choose another name`, 2);
  if (info) {
    try {
      await fsp.access(file, constants.W_OK);
    } catch (err) {
      throw new CliError(`${flag} ${file} cannot be replaced (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 2);
    }
  }
  await checkFolderWritable(dirname(file), flag, file);
}

/** Creates `dir` if needed and proves a new file can be created in it. */
export async function checkFolderWritable(dir: string, flag: string, shown = dir): Promise<void> {
  const probe = join(dir, `.forensics-write-check-${process.pid}-${Date.now()}`);
  try {
    await fsp.mkdir(dir, { recursive: true });
    const handle = await fsp.open(probe, 'wx');
    await handle.close();
    await fsp.rm(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a part of the path is a file, not a folder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `the folder is not writable (${code})`
          : (code ?? (err as Error).message);
    throw new CliError(`${flag} ${shown}: cannot write there: ${why}`, 2);
  }
}
