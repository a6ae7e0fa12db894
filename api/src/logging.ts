import pino, { type Logger } from 'pino';

export type { Logger };

/** The audit stream: settings changes (`log: "audit"`) and sign-in/out events (`log: "auth"`). */
export const AUDIT_LINE = /"log":"(?:audit|auth)"/;

export interface LoggerOptions {
  /** Write the audit stream to this file (appended, synchronously) instead of `destination`. */
  auditFile?: string;
}

/**
 * Structured JSON logs. Redaction is a second line of defence: code never passes passwords,
 * cookies or tokens to the logger in the first place.
 *
 * Every settings change is logged once as `{"log":"audit", uid, client, change|event}` and every
 * sign-in/out as `{"log":"auth", event, uid, client}`; with `auditFile` those lines are split
 * off into their own file, away from the access log (`"log":"access"`).
 */
export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  let stream: pino.DestinationStream | undefined = destination;
  if (options.auditFile) {
    const main = destination ?? pino.destination(1);
    const audit = pino.destination({ dest: options.auditFile, sync: true, mkdir: true, append: true });
    stream = { write: (line: string) => (AUDIT_LINE.test(line) ? audit.write(line) : main.write(line)) };
  }
  return pino(
    {
      level,
      base: { service: 'emailng-settings' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'cookie',
          '*.cookie',
          'headers.cookie',
          'headers.authorization',
          'headers["x-csrf-token"]',
          'csrfToken',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
