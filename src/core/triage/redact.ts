// Redaction for everything a report quotes: the secrets every printed line loses
// (core/common/redactSecrets) and, because reports get shared, e-mail addresses too.
import { redactSecrets } from '../common/redactSecrets';

const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;

export function redact(text: string): string {
  return redactSecrets(text).replace(EMAIL, '<email>');
}
