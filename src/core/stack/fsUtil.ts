// Small file-system questions asked often enough to deserve a name.
import { statSync } from 'node:fs';

export function existsAsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
