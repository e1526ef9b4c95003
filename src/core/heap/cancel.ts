// Cancellation of heap work (capture, parse, workers) is one error everywhere: named
// AbortError like the platform's own, so callers tell "the user stopped it" from a failure.
export function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
