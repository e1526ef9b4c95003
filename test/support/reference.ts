// The reference payloads authored by Sentry, OpenTelemetry, Jaeger and the loggers live in
// the project's shared/ folder, beside the repository (../shared/reference), on every
// machine and in CI. Tests read them from there so the local servers answer in exactly
// those shapes; a missing folder is an error that says where it was looked for.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REFERENCE_DIR = process.env.FORENSICS_REFERENCE_DIR ?? resolve(__dirname, '../../../shared/reference');

export function referencePath(...parts: string[]): string {
  if (!existsSync(REFERENCE_DIR)) {
    throw new Error(
      `reference payloads not found at ${REFERENCE_DIR}: shared/ must sit beside the repository (or set FORENSICS_REFERENCE_DIR)`,
    );
  }
  return join(REFERENCE_DIR, ...parts);
}
