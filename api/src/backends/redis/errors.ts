/**
 * Redis did not answer (not connected, not ready in time, or a command failed on the wire).
 * Callers see only this; what several instances share (sessions, throttles, used tokens) is
 * then unknown, so the HTTP layer answers 503.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  readonly code = 'UNAVAILABLE';

  constructor(options?: { cause?: unknown }) {
    super('the shared store (Redis) is not answering', options);
  }
}
