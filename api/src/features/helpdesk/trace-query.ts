/** The longest window a message trace reads from the log: a week keeps each query small. */
export const MAX_TRACE_DAYS = 7;
const DAY_MS = 86_400_000;
/** RFC 5322 allows longer lines, but amavisd keeps at most 255 characters of a Message-ID. */
const MAX_MESSAGE_ID = 255;
const MAX_SENDER = 254;

export type TraceProblem = 'window_unbounded' | 'window_reversed' | 'window_too_long' | 'invalid' | 'too_long' | 'invalid_characters';

export interface TraceInput {
  since?: string;
  until?: string;
  sender?: string;
  messageId?: string;
}

export interface TraceQuery {
  since: Date;
  until: Date;
  /** Part of the envelope sender or From header, as typed (trimmed). */
  sender: string | null;
  /** `<local@domain>`, with the brackets whether or not they were typed. */
  messageId: string | null;
}

const CONTROL = /[\p{Cc}\p{Cf}]/u;

function instant(text: string | undefined): Date | null | 'invalid' {
  if (text === undefined || text.trim() === '') return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? 'invalid' : at;
}

/** A Message-ID as amavisd logs it (with angle brackets), or null when it cannot be one. */
export function normalizeMessageId(text: string): string | null {
  const bare = text.trim().replace(/^<(.*)>$/s, '$1');
  if (bare === '' || /[<>\s]/u.test(bare) || CONTROL.test(bare) || bare.length + 2 > MAX_MESSAGE_ID) return null;
  return `<${bare}>`;
}

/** Checks what the helpdesk asked for; each problem names its field. */
export function parseTraceQuery(input: TraceInput): { query: TraceQuery } | { field: keyof TraceInput; problem: TraceProblem } {
  const since = instant(input.since);
  const until = instant(input.until);
  if (since === 'invalid') return { field: 'since', problem: 'invalid' };
  if (until === 'invalid') return { field: 'until', problem: 'invalid' };
  if (since === null) return { field: 'since', problem: 'window_unbounded' };
  if (until === null) return { field: 'until', problem: 'window_unbounded' };
  if (until.getTime() <= since.getTime()) return { field: 'until', problem: 'window_reversed' };
  if (until.getTime() - since.getTime() > MAX_TRACE_DAYS * DAY_MS) return { field: 'until', problem: 'window_too_long' };
  let sender: string | null = null;
  if (input.sender !== undefined && input.sender.trim() !== '') {
    if (CONTROL.test(input.sender)) return { field: 'sender', problem: 'invalid_characters' };
    sender = input.sender.normalize('NFC').trim();
    if (sender.length > MAX_SENDER) return { field: 'sender', problem: 'too_long' };
  }
  let messageId: string | null = null;
  if (input.messageId !== undefined && input.messageId.trim() !== '') {
    if (CONTROL.test(input.messageId)) return { field: 'messageId', problem: 'invalid_characters' };
    messageId = normalizeMessageId(input.messageId);
    if (messageId === null) return { field: 'messageId', problem: input.messageId.length > MAX_MESSAGE_ID ? 'too_long' : 'invalid' };
  }
  return { query: { since, until, sender, messageId } };
}
