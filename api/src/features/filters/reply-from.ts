import { SieveSyntaxError, parseScript, type Command } from '../../sieve';
import { positionAt } from '../../sieve/position';
import { normalizeAddress } from '../../shared/mail-address';

/**
 * Who an automatic reply may say it is from. Pigeonhole sends a vacation reply with whatever
 * `:from` the script gives, so every path that writes `vacation` (a rule's reply action, the
 * raw editor) allows only the user's own addresses, with an optional display name that is one
 * line of plain text: no line break (a header injection) and no encoded-word (`=?…?=`, which
 * could spell any name or address once decoded).
 */
export type ReplyFromProblem = 'line_break' | 'encoded_word' | 'invalid_address' | 'not_own_address';

const ENCODED_WORD = /=\?[^?\s]*\?[bq]\?[^?\s]*\?=/i;
// C0 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f\u2028\u2029]/;

/** The address of `addr` or `Name <addr>` / `"Name" <addr>`, or null when it has neither shape. */
function addressOf(value: string): string | null {
  const trimmed = value.trim();
  const open = trimmed.lastIndexOf('<');
  if (open === -1) return /^[^\s<>"]+$/.test(trimmed) ? trimmed : null;
  if (!trimmed.endsWith('>')) return null;
  const address = trimmed.slice(open + 1, -1);
  return /^[^\s<>"]+$/.test(address) ? address : null;
}

export function replyFromProblem(value: string, ownAddresses: readonly string[]): ReplyFromProblem | null {
  if (/[\r\n\u2028\u2029]/.test(value)) return 'line_break';
  if (ENCODED_WORD.test(value)) return 'encoded_word';
  // `${…}`: a variable or encoded character, whose value the app cannot know before delivery.
  if (CONTROL.test(value) || value.includes('${')) return 'invalid_address';
  const address = addressOf(value);
  if (address === null) return 'invalid_address';
  return ownAddresses.some((own) => normalizeAddress(own) === normalizeAddress(address)) ? null : 'not_own_address';
}

/** Every vacation `:from` of a script, at any depth (inside if/elsif/else blocks), with its line. */
export function vacationFroms(commands: readonly Command[], text: string): Array<{ value: string | null; line: number | null }> {
  const out: Array<{ value: string | null; line: number | null }> = [];
  for (const cmd of commands) {
    if (cmd.name.toLowerCase() === 'vacation') {
      cmd.arguments.forEach((arg, i) => {
        if (arg.type !== 'tag' || arg.name.toLowerCase() !== 'from') return;
        const next = cmd.arguments[i + 1];
        // A list or a number after :from is the server's to refuse; null marks it unreadable.
        out.push({ value: next?.type === 'string' ? next.value : null, line: arg.span ? positionAt(text, arg.span.start).line : null });
      });
    }
    if (cmd.block) out.push(...vacationFroms(cmd.block, text));
  }
  return out;
}

/** The first refused `:from` of a whole script, or null (also when the text does not parse: the server says why). */
export function scriptReplyFromProblem(text: string, ownAddresses: readonly string[]): { code: ReplyFromProblem; line: number | null; value: string } | null {
  let commands: readonly Command[];
  try {
    commands = parseScript(text).commands;
  } catch (error) {
    if (error instanceof SieveSyntaxError) return null;
    throw error;
  }
  for (const from of vacationFroms(commands, text)) {
    const code = from.value === null ? 'invalid_address' : replyFromProblem(from.value, ownAddresses);
    if (code) return { code, line: from.line, value: from.value ?? '' };
  }
  return null;
}
