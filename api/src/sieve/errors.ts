/** Stable error codes: the UI translates by code, the message is English for logs and CLI. */
export type SieveSyntaxErrorCode =
  | 'script-too-large'
  | 'unexpected-character'
  | 'unexpected-token'
  | 'unexpected-end'
  | 'unterminated-string'
  | 'unterminated-multiline'
  | 'unterminated-comment'
  | 'invalid-multiline-start'
  | 'invalid-number'
  | 'number-too-large'
  | 'string-too-long'
  | 'list-too-long'
  | 'nesting-too-deep'
  | 'nul-character'
  // A known command or test whose arguments, tests or block do not fit its grammar (grammar.ts).
  | 'unknown-tag'
  | 'duplicate-tag'
  | 'missing-tag'
  | 'wrong-argument'
  | 'wrong-argument-count'
  | 'unexpected-test'
  | 'missing-test'
  | 'unexpected-block'
  | 'missing-block'
  | 'misplaced-command';

export interface SourcePosition {
  /** 0-based offset in UTF-16 code units. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export class SieveSyntaxError extends Error {
  override readonly name = 'SieveSyntaxError';
  readonly code: SieveSyntaxErrorCode;
  readonly offset: number;
  readonly line: number;
  readonly column: number;

  constructor(code: SieveSyntaxErrorCode, message: string, position: SourcePosition) {
    super(`${position.line}:${position.column}: ${message}`);
    this.code = code;
    this.offset = position.offset;
    this.line = position.line;
    this.column = position.column;
  }
}

export type SieveValidationCode =
  | 'nul-character'
  | 'invalid-unicode'
  | 'lone-carriage-return'
  | 'line-break-not-allowed'
  | 'string-too-long'
  | 'empty-value'
  | 'invalid-header-name'
  | 'invalid-address'
  | 'invalid-flag'
  | 'invalid-regex'
  | 'invalid-number'
  | 'invalid-identifier'
  | 'conditions-required'
  | 'conditions-not-allowed'
  | 'invalid-date'
  | 'invalid-template-value'
  | 'too-many-redirects'
  | 'nesting-too-deep';

export interface ValidationIssue {
  code: SieveValidationCode;
  /** Where in the value the problem is, e.g. `conditions.0.value`. */
  path: string;
  message: string;
}

/** A value the app was asked to write cannot be expressed as (or is not allowed in) Sieve. */
export class SieveValidationError extends Error {
  override readonly name = 'SieveValidationError';
  readonly code: SieveValidationCode;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0];
    super(first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid value');
    this.code = first?.code ?? 'invalid-template-value';
    this.issues = issues;
  }
}

/** The script needs an extension the server's SIEVE capability does not list. */
export class SieveCapabilityError extends Error {
  override readonly name = 'SieveCapabilityError';
  readonly code = 'capability-missing' as const;
  readonly missing: readonly string[];

  constructor(missing: readonly string[]) {
    super(`the server does not support the Sieve extension${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`);
    this.missing = missing;
  }
}
