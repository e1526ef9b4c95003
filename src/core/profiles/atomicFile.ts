// A profile file appears whole or not at all: written to a hidden temporary file beside
// the target and renamed into place (rename within one directory is atomic on POSIX and
// NTFS), so a crash, a full disk or a cancel never leaves a half-written profile.
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(file: string, text: string): Promise<number> {
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.partial`);
  try {
    await fsp.mkdir(dirname(file), { recursive: true });
    await fsp.writeFile(partial, text, { flag: 'wx' });
    await fsp.rename(partial, file);
  } catch (err) {
    await fsp.rm(partial, { force: true }).catch(() => undefined);
    throw new Error(`cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
  return Buffer.byteLength(text);
}
