// What the pages say a message will meet, turned into an outcome the delivery matrix can
// compare with what Dovecot really did. The input is only the structured "what happens" values
// the API gives the pages (spam delivery, sender lists, exits, vacation, rules): the sentences
// are made from exactly these, so an outcome predicted from them is what the sentences promise.
// It reads no Sieve: were it to, it would agree with the Sieve by construction.

/** Where one copy of a message was stored, and the flags it carries there. */
export interface StoredCopy {
  folder: string;
  seen: boolean;
  flagged: boolean;
}

export interface Outcome {
  /** Copies in the mailbox, sorted by folder. Empty: nothing stays (deleted, or only sent on). */
  copies: StoredCopy[];
  /** An automatic reply went to the envelope sender. */
  replied: boolean;
  /** Addresses the message was sent on to, sorted. */
  forwardedTo: string[];
}

export type SpamDeliverySaid =
  | { filing: 'none' }
  | { filing: 'foreign' }
  | { filing: 'flagged' | 'score'; folder: string; from: number; discardFrom: number | null };

export interface RuleSaid {
  enabled: boolean;
  match: 'all' | 'any' | 'always';
  conditions: Array<{ type: string; operator?: string; negate?: boolean; value?: string }>;
  actions: Array<{ type: string; mailbox?: string; copy?: boolean; flags?: string[]; address?: string }>;
  stop: boolean;
}

/** What the overview, spam, forwarding, vacation and filters pages are given to say. */
export interface DeliverySaid {
  spam: SpamDeliverySaid;
  senders: { allow: string[]; block: string[]; blockAction: 'discard' | 'folder'; folder: string };
  exits: Array<{ address: string; keepsCopy: boolean; active: boolean; source: string }>;
  /** Folders the forwarding page says still get their copy when none is kept (the filters' own). */
  stillFiledIn: string[];
  vacation: {
    enabled: boolean;
    /** The window as instants (null: open). */
    start: Date | null;
    end: Date | null;
    /** Mail addressed to one of these is answered. */
    addresses: string[];
    neverAnswered: { localParts: string[]; flaggedSpam: boolean };
  };
  rules: RuleSaid[];
}

/** A message as it arrives: what the sentences talk about. */
export interface ArrivingMessage {
  /** The From header as written (display name and all). */
  from: string;
  /** Envelope sender ('' for the null sender). */
  sender: string;
  /** The To header's address. */
  to: string;
  subject: string;
  /** X-Spam-Score; null: not scanned (no header). */
  score: number | null;
  /** X-Spam-Flag: YES. */
  flagged: boolean;
  headers: Record<string, string>;
  /** When it arrives. */
  at: Date;
}

const lower = (s: string) => s.toLowerCase();

/** The addresses of a From header (a list of mailboxes): each one's <…>, or its bare address. */
export function addressesIn(header: string): string[] {
  return header.split(',').map((mailbox) => lower((/<([^<>]*)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim()));
}

const localPart = (address: string) => address.slice(0, address.lastIndexOf('@'));
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** Whether a list entry covers the address: an address, a domain, or `.domain` with its subdomains. */
export function listCovers(entry: string, address: string): boolean {
  const e = lower(entry);
  if (e.includes('@')) return e === address;
  const domain = domainOf(address);
  if (e.startsWith('.')) return domain === e.slice(1) || domain.endsWith(e);
  return domain === e;
}

const NOTHING_STAYS: Outcome = { copies: [], replied: false, forwardedTo: [] };

function stored(folder: string, flags: ReadonlySet<string> = new Set()): StoredCopy {
  return { folder, seen: flags.has('\\seen'), flagged: flags.has('\\flagged') };
}

function finish(copies: StoredCopy[], replied: boolean, forwardedTo: string[]): Outcome {
  return { copies: [...copies].sort((a, b) => a.folder.localeCompare(b.folder)), replied, forwardedTo: [...forwardedTo].sort() };
}

/** Spam filing as the spam sentences say it: null when the message is not filed as spam. */
function spamFate(spam: SpamDeliverySaid, m: ArrivingMessage): 'delete' | { folder: string } | null {
  if (spam.filing === 'none' || spam.filing === 'foreign') return null;
  const score = m.score ?? 0;
  if (spam.discardFrom !== null && m.score !== null && score >= spam.discardFrom) return 'delete';
  const isSpam = spam.filing === 'flagged' ? m.flagged : m.score !== null && score >= spam.from;
  return isSpam ? { folder: spam.folder } : null;
}

const AUTOMATIC_HEADERS = ['list-id', 'list-unsubscribe', 'list-post'];

/** Whether the vacation page's words promise a reply to this message. */
function answered(v: DeliverySaid['vacation'], m: ArrivingMessage): boolean {
  if (!v.enabled || m.sender === '') return false;
  if ((v.start && m.at < v.start) || (v.end && m.at >= v.end)) return false;
  if (!v.addresses.some((a) => lower(a) === lower(m.to))) return false;
  const headers = Object.fromEntries(Object.entries(m.headers).map(([k, val]) => [lower(k), lower(val)]));
  // "mailing lists, bulk mail and other automatic messages"
  if (AUTOMATIC_HEADERS.some((h) => h in headers)) return false;
  if (/bulk|list|junk/.test(headers.precedence ?? '')) return false;
  if ((headers['auto-submitted'] ?? 'no').startsWith('auto-')) return false;
  // "mail from your own addresses"
  const from = addressesIn(m.from);
  if (from.some((f) => v.addresses.some((a) => lower(a) === f))) return false;
  if (v.neverAnswered.flaggedSpam && m.flagged) return false;
  // "senders whose address is one of these names before the @ (any case, with or without a +suffix)"
  const machine = (address: string) => v.neverAnswered.localParts.includes(localPart(address).split('+')[0]!);
  return !(machine(lower(m.sender)) || from.some(machine));
}

function conditionHolds(c: RuleSaid['conditions'][number], m: ArrivingMessage): boolean {
  if (c.type !== 'subject' || c.operator !== 'contains') throw new Error(`the matrix predicts subject-contains conditions only, not ${c.type} ${c.operator}`);
  const hit = lower(m.subject).includes(lower(c.value ?? ''));
  return c.negate ? !hit : hit;
}

function ruleMatches(rule: RuleSaid, m: ArrivingMessage): boolean {
  if (!rule.enabled) return false;
  if (rule.match === 'always') return true;
  const results = rule.conditions.map((c) => conditionHolds(c, m));
  return rule.match === 'all' ? results.every(Boolean) : results.some(Boolean);
}

/**
 * The outcome the pages promise, in the order the architecture gives the script: blocked
 * senders, spam, forwarding, vacation, then the user's filters, then the implicit keep.
 */
export function predictOutcome(said: DeliverySaid, m: ArrivingMessage): Outcome {
  const from = addressesIn(m.from);
  const listed = (entries: string[]) => from.some((f) => entries.some((e) => listCovers(e, f)));
  if (listed(said.senders.block)) {
    return said.senders.blockAction === 'folder' ? finish([stored(said.senders.folder)], false, []) : NOTHING_STAYS;
  }
  if (!listed(said.senders.allow)) {
    const fate = spamFate(said.spam, m);
    if (fate === 'delete') return NOTHING_STAYS;
    if (fate) return finish([stored(fate.folder)], false, []);
  }
  const leaving = said.exits.filter((e) => e.active && e.source !== 'filter');
  let keep = leaving.every((e) => e.keepsCopy);
  const forwardedAway = !keep;
  const forwardedTo = leaving.map((e) => e.address);
  const replied = answered(said.vacation, m);

  const copies: StoredCopy[] = [];
  const flags = new Set<string>();
  for (const rule of said.rules) {
    if (!ruleMatches(rule, m)) continue;
    for (const a of rule.actions) {
      switch (a.type) {
        case 'addflag':
          for (const f of a.flags ?? []) flags.add(lower(f));
          break;
        case 'fileinto':
          // Forwarded without a copy: nothing stays in the Inbox, and a filed copy only where the page names the folder.
          if (!forwardedAway || said.stillFiledIn.includes(a.mailbox!)) copies.push(stored(a.mailbox!, a.flags ? new Set(a.flags.map(lower)) : flags));
          if (!a.copy) keep = false;
          break;
        case 'redirect':
          forwardedTo.push(lower(a.address!));
          if (!a.copy) keep = false;
          break;
        case 'discard':
          keep = false;
          break;
        default:
          throw new Error(`the matrix predicts no ${a.type} action`);
      }
    }
    if (rule.stop) break;
  }
  if (keep) copies.push(stored('INBOX', flags));
  return finish(copies, replied, forwardedTo);
}
