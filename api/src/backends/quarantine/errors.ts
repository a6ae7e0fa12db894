export type QuarantineErrorCode =
  /** The content filter's release port or its database cannot be reached, or did not answer in time. */
  | 'UNAVAILABLE'
  /** amavisd answered, but refused the release (wrong secret, message gone, delivery failed). */
  | 'REFUSED'
  /** The answer did not follow the protocol. */
  | 'PROTOCOL';

/** An error of the content filter's quarantine (SQL store or AM.PDP release port). */
export class QuarantineError extends Error {
  constructor(
    readonly code: QuarantineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QuarantineError';
  }
}
