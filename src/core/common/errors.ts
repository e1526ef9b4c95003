// One way to turn anything thrown into the sentence a person reads, with its causes, and
// with every secret taken out (messages quote URLs and arguments, which may hold them).
import { redactSecrets } from './redactSecrets';

/** The message of an Error (or the text of anything else thrown), redacted. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : safeString(err);
  return redactSecrets(text);
}

/** The message followed by each `cause` ("… (caused by: …)"), at most a few levels deep. */
export function errorWithCauses(err: unknown, depth = 4): string {
  const parts = [errorMessage(err)];
  let cause = err instanceof Error ? err.cause : undefined;
  for (let i = 0; cause !== undefined && i < depth; i++) {
    parts.push(`caused by: ${errorMessage(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join(' — ');
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}
