import { InvalidCredentialsError, ResultCodeError } from 'ldapts';

export type DirectoryErrorCode =
  /** The directory cannot be reached or did not answer in time. */
  | 'UNAVAILABLE'
  /** The bind was refused: wrong password (or unknown DN). */
  | 'INVALID_CREDENTIALS'
  /** A write broke a directory constraint: the `unique` overlay refused a duplicate value
   *  (constraintViolation, 19) or the value is already on the entry (typeOrValueExists, 20). */
  | 'CONSTRAINT'
  /** A write named a value the entry no longer has (noSuchAttribute, 16): someone changed
   *  the entry since it was read. */
  | 'STALE'
  /** The directory answered with an error we did not expect. */
  | 'FAILED';

export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    readonly ldapResultCode?: number,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** Turns ldapts and socket errors into ours, without leaking server text to callers. */
export function toDirectoryError(error: unknown): DirectoryError {
  if (error instanceof DirectoryError) return error;
  if (error instanceof InvalidCredentialsError) return new DirectoryError('INVALID_CREDENTIALS', 'invalid credentials', 49);
  if (error instanceof ResultCodeError) {
    // 51 busy, 52 unavailable, 80 "other" (e.g. a backend down behind a proxy)
    const unavailable = [51, 52].includes(error.code);
    const code = unavailable ? 'UNAVAILABLE' : [19, 20].includes(error.code) ? 'CONSTRAINT' : error.code === 16 ? 'STALE' : 'FAILED';
    return new DirectoryError(code, `LDAP result ${error.code}`, error.code);
  }
  return new DirectoryError('UNAVAILABLE', `directory unreachable: ${(error as Error)?.message ?? String(error)}`);
}
