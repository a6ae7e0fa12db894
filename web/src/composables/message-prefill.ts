// A new rule proposed from a message (#/filters/new?from=…&listId=…&subject=…&to=…, the link
// Roundcube's "Create a filter…" opens, web/README.md). The values come from a URL, so they are
// checked like anything a user types: control and format characters refuse a value (a folded
// or crafted header must not smuggle line breaks or hidden text into a rule), an address must
// be one address, an over-long subject is cut. Greek is kept exactly as the message has it
// (no Unicode normalisation: the server's match already ignores the form, see exactAccents).
// Pure (no Vue), so it is unit-tested in Node.
import type { FilterCondition } from '../api/types';

export type ProposalField = 'from' | 'list-id' | 'to-or-cc' | 'subject';
export interface Proposal {
  field: ProposalField;
  value: string;
  /** Whether the rule starts with it: the sender does; the others are offered. */
  checked: boolean;
}
/** What happened to a value that was not taken as it came; the editor says it in words. */
export interface PrefillNote {
  field: ProposalField;
  problem: 'control' | 'malformed' | 'too_long' | 'trimmed';
}
export interface MessagePrefill {
  proposals: Proposal[];
  notes: PrefillNote[];
}

export const PREFILL_LIMITS = { address: 254, listId: 255, subject: 200 } as const;
/** The API's longest rule name (FILTER_LIMITS.nameLength). */
const NAME_LENGTH = 200;

// C0/C1 controls (CR, LF, TAB, NUL, ESC…) and format characters (bidi overrides, zero widths).
const HIDDEN = /[\p{Cc}\p{Cf}]/u;
// One address: no spaces, brackets, quotes or separators around it (a display name is not one).
const ADDRESS = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+\.[^\s@<>"(),;:\\[\]]+$/u;
// The id inside List-Id's angle brackets (RFC 2919): no spaces or brackets.
const LIST_ID = /^[^\s<>"]+$/u;

const length = (s: string): number => Array.from(s).length;

function first(value: unknown): string | undefined {
  const s = Array.isArray(value) ? value[0] : value;
  return typeof s === 'string' ? s.trim() : undefined;
}

/** Whether the query is a rule proposed from a message at all (else the editor starts blank). */
export function isMessagePrefill(query: Record<string, unknown>): boolean {
  return ['from', 'listId', 'subject', 'to'].some((k) => query[k] !== undefined);
}

type Checked = { value: string } | { problem: PrefillNote['problem'] };

function checkAddress(v: string): Checked {
  if (length(v) > PREFILL_LIMITS.address) return { problem: 'too_long' };
  return ADDRESS.test(v) ? { value: v } : { problem: 'malformed' };
}

function checkListId(v: string): Checked {
  if (length(v) > PREFILL_LIMITS.listId) return { problem: 'too_long' };
  return LIST_ID.test(v) ? { value: v } : { problem: 'malformed' };
}

/** A long subject is still a good hint: its beginning is kept (and the user told). */
function checkSubject(v: string): Checked {
  return length(v) > PREFILL_LIMITS.subject ? { value: Array.from(v).slice(0, PREFILL_LIMITS.subject).join('').trimEnd() } : { value: v };
}

export function prefillFromQuery(query: Record<string, unknown>): MessagePrefill {
  const proposals: Proposal[] = [];
  const notes: PrefillNote[] = [];
  const take = (field: ProposalField, raw: string | undefined, check: (v: string) => Checked): void => {
    if (raw === undefined || raw === '') return;
    if (HIDDEN.test(raw)) {
      notes.push({ field, problem: 'control' });
      return;
    }
    const result = check(raw);
    if ('problem' in result) {
      notes.push({ field, problem: result.problem });
      return;
    }
    if (result.value !== raw) notes.push({ field, problem: 'trimmed' });
    proposals.push({ field, value: result.value, checked: false });
  };

  take('from', first(query.from), checkAddress);
  take('list-id', first(query.listId), checkListId);
  take('to-or-cc', first(query.to), checkAddress);
  take('subject', first(query.subject), checkSubject);

  // The sender is the usual reason; without one, the first thing the message offers.
  const start = proposals.find((p) => p.field === 'from') ?? proposals[0];
  if (start) start.checked = true;
  return { proposals, notes };
}

/** The rule condition a proposal stands for: the sender's address exactly, the rest as text contained. */
export function proposalCondition(p: Proposal): FilterCondition {
  return { type: p.field, operator: p.field === 'from' ? 'is' : 'contains', negate: false, value: p.value };
}

/** The new rule's name: the first value it starts with (the sender, usually). */
export function proposedName(prefill: MessagePrefill): string {
  const first = prefill.proposals.find((p) => p.checked);
  return first ? Array.from(first.value).slice(0, NAME_LENGTH).join('') : '';
}
