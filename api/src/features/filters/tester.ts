import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ImapFlow, SearchObject } from 'imapflow';
import { runImapCommand } from '../../backends/imap/raw-command';
import type { ImapSessions } from '../../backends/imap/sessions';
import { ApiError } from '../../http/errors';
import { withImap } from '../folders/imap';
import type { Logger } from '../../logging';
import { command, isTextCondition, printCommand, requiredCapabilities, ruleToCommand, str, strList, tag, test, type Condition, type Rule } from '../../sieve';

/** How far back, and how many INBOX messages at most, a test or an apply looks at. */
export const TEST_WINDOW = { days: 30, maxMessages: 500 } as const;
const TOKEN_TTL_MS = 10 * 60 * 1000;
const APPLY_BATCH = 100;

export interface MatchedMessage {
  uid: number;
  from: string;
  subject: string;
  date: string | null;
}

export interface Matches {
  method: 'sieve' | 'search';
  uids: number[];
  unchecked: number[];
  examined: number;
  uidValidity: string;
}

/** Progress lines of an apply, as streamed (NDJSON). */
export type ApplyProgress =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; done: number; total: number; moved: number; flagged: number }
  | { type: 'error'; done: number; total: number; code: string; message: string };

/** `1:3,5,7:9` from UIDs. */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function parseUidSet(set: string): number[] {
  if (set === '') return [];
  return set.split(',').flatMap((part) => {
    const [a, b] = part.split(':').map(Number) as [number, number | undefined];
    if (b === undefined) return [a];
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

/** Every string a rule's conditions carry. */
function conditionStrings(c: Condition): string[] {
  switch (c.type) {
    case 'size':
    case 'spamscore':
      return [];
    case 'hasflag':
      return c.flags;
    case 'group':
      return c.conditions.flatMap(conditionStrings);
    case 'header':
      return [c.header, c.value];
    default:
      return [c.value];
  }
}

/**
 * The probe script for FILTER=SIEVE: the rule's own test, whose block only makes the server
 * emit a runtime warning carrying a marker (an invalid `:zone` given through a variable is
 * reported per message and otherwise ignored). Pigeonhole's FILTER answers FILTERED only for
 * messages where something happened (an action, a warning or an error): with no action, the
 * implicit keep leaves each message exactly as it was, so nothing in the mailbox changes —
 * and the mailbox is opened read-only besides.
 */
export function probeScript(rule: Rule, marker: string): string {
  const ruleIf = ruleToCommand({ ...rule, enabled: true, actions: [], stop: false });
  const variable = 'emailng_probe';
  const probe = command(
    'if',
    [],
    [
      command('set', [str(variable), str(marker)]),
      command('if', [], [], [test('currentdate', [tag('zone'), str(`\${${variable}}`), tag('is'), str('year'), str('0000')])]),
    ],
    ruleIf.tests,
  );
  const requires = [...new Set([...requiredCapabilities([probe]), 'variables', 'date'])].sort();
  return printCommand(command('require', [strList(requires)])) + '\r\n' + printCommand(probe) + '\r\n';
}

/**
 * Which of `uids` in the selected mailbox the rule's conditions match, as the server's own
 * Sieve sees them (UID FILTER SIEVE with probeScript). Changes nothing; throws when the server
 * refuses the probe.
 */
export async function sieveProbe(client: ImapFlow, rule: Rule, uids: readonly number[]): Promise<number[]> {
  const marker = `emailng-probe-${randomBytes(6).toString('hex')}`;
  const script = probeScript(rule, marker);
  const matched: number[] = [];
  await runImapCommand(
    client,
    'UID FILTER',
    [
      { type: 'ATOM', value: 'SIEVE' },
      { type: 'ATOM', value: 'SCRIPT' },
      { type: 'LITERAL', value: script },
      { type: 'ATOM', value: 'UID' },
      { type: 'SEQUENCE', value: uidSet(uids) },
    ],
    {
      FILTERED: (untagged) => {
        const attrs = untagged.attributes;
        const uidAt = attrs.findIndex((a) => a && a.type === 'ATOM' && String(a.value).toUpperCase() === 'UID');
        const uidValue = Number(attrs[uidAt + 1]?.value);
        const text = attrs.slice(uidAt + 2).map((a) => (Buffer.isBuffer(a?.value) ? a.value.toString('utf8') : String(a?.value ?? ''))).join(' ');
        if (Number.isInteger(uidValue) && text.includes(marker)) matched.push(uidValue);
      },
    },
  );
  return matched.sort((a, b) => a - b);
}

/** One condition as IMAP SEARCH, or null when SEARCH cannot say it exactly enough. */
function searchFor(c: Condition): SearchObject | null {
  let q: SearchObject | null = null;
  if (c.type === 'size') {
    const bytes = c.size * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[c.unit];
    q = c.comparison === 'over' ? { larger: bytes } : { smaller: bytes };
  } else if (isTextCondition(c) && c.type !== 'envelope' && c.operator === 'contains') {
    // SEARCH is a case-insensitive substring match, as Sieve's :contains with i;ascii-casemap.
    switch (c.type) {
      // SEARCH FROM/TO/CC look at the whole header, display names included: exactly the
      // header conditions; the address ones (from, to-or-cc) stay unchecked.
      case 'from-header':
        q = { from: c.value };
        break;
      case 'subject':
        q = { subject: c.value };
        break;
      case 'to-or-cc-header':
        q = { or: [{ to: c.value }, { cc: c.value }] };
        break;
      case 'list-id':
        q = { header: { 'list-id': c.value } };
        break;
      case 'header':
        q = { header: { [c.header]: c.value } };
        break;
      case 'body':
        q = { body: c.value };
        break;
    }
  }
  if (q && c.negate) q = { not: q };
  return q;
}

function ruleHash(rule: Rule): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined && k !== 'id' && k !== 'name' && k !== 'enabled').sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return createHmac('sha256', 'rule').update(JSON.stringify(sorted(rule))).digest('base64url').slice(0, 22);
}

interface TokenBody {
  u: string;
  h: string;
  v: string;
  s: string;
  e: number;
}

/**
 * "Test this rule" and "apply to existing messages": which of the user's recent INBOX
 * messages a rule matches, found by the server's own Sieve (FILTER=SIEVE) where it has it,
 * by IMAP SEARCH otherwise.
 */
export class RuleTester {
  private readonly key: Buffer;

  constructor(
    private readonly imap: ImapSessions,
    private readonly logger: Logger,
    /** Signs apply tokens: the session key, so every API instance accepts the others' tokens. */
    key: Uint8Array | undefined,
  ) {
    this.key = key ? Buffer.from(key) : randomBytes(32);
  }

  async matches(uid: string, rule: Rule, clientAddress?: string): Promise<Matches> {
    return withImap(
      this.imap,
      uid,
      async (client) => {
        const lock = await client.getMailboxLock('INBOX', { readOnly: true });
        try {
          return await this.find(client, rule);
        } finally {
          lock.release();
        }
      },
      { clientAddress },
    );
  }

  async test(uid: string, rule: Rule, clientAddress?: string): Promise<{ method: 'sieve' | 'search'; messages: MatchedMessage[]; unchecked: number[]; examined: number }> {
    return withImap(
      this.imap,
      uid,
      async (client) => {
        const lock = await client.getMailboxLock('INBOX', { readOnly: true });
        try {
          const found = await this.find(client, rule);
          const messages: MatchedMessage[] = [];
          if (found.uids.length > 0) {
            for (const m of await client.fetchAll(uidSet(found.uids), { uid: true, envelope: true }, { uid: true })) {
              const from = m.envelope?.from?.[0];
              messages.push({
                uid: m.uid,
                from: from ? (from.name ? `${from.name} <${from.address ?? ''}>` : (from.address ?? '')) : '',
                subject: m.envelope?.subject ?? '',
                date: m.envelope?.date ? new Date(m.envelope.date).toISOString() : null,
              });
            }
          }
          messages.sort((a, b) => b.uid - a.uid);
          return { method: found.method, messages, unchecked: found.unchecked, examined: found.examined };
        } finally {
          lock.release();
        }
      },
      { clientAddress },
    );
  }

  private async find(client: ImapFlow, rule: Rule): Promise<Matches> {
    const mailbox = client.mailbox;
    const uidValidity = mailbox ? String(mailbox.uidValidity) : '';
    const since = new Date(Date.now() - TEST_WINDOW.days * 86_400_000);
    const recent = ((await client.search({ since }, { uid: true })) || []).sort((a, b) => a - b).slice(-TEST_WINDOW.maxMessages);
    if (recent.length === 0) return { method: 'sieve', uids: [], unchecked: [], examined: 0, uidValidity };
    const caps = client.capabilities;
    const hasVariablesInRule = rule.conditions.some((c) => conditionStrings(c).some((s) => s.includes('${')));
    if (caps.has('FILTER=SIEVE') && !hasVariablesInRule) {
      const uids = await this.filterSieve(client, rule, recent);
      if (uids) return { method: 'sieve', uids, unchecked: [], examined: recent.length, uidValidity };
    }
    return { ...(await this.search(client, rule, recent)), examined: recent.length, uidValidity };
  }

  /** null when the server would not run the probe (then SEARCH is used). */
  private async filterSieve(client: ImapFlow, rule: Rule, recent: number[]): Promise<number[] | null> {
    try {
      return await sieveProbe(client, rule, recent);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'FILTER=SIEVE probe refused; testing the rule with SEARCH instead');
      return null;
    }
  }

  private async search(client: ImapFlow, rule: Rule, recent: number[]): Promise<{ method: 'search'; uids: number[]; unchecked: number[] }> {
    const within = uidSet(recent);
    if (rule.match === 'always') return { method: 'search', uids: recent, unchecked: [] };
    const unchecked: number[] = [];
    const sets: Array<Set<number>> = [];
    for (const [i, c] of rule.conditions.entries()) {
      const q = searchFor(c);
      if (!q) {
        unchecked.push(i);
        continue;
      }
      sets.push(new Set((await client.search({ ...q, uid: within }, { uid: true })) || []));
    }
    let uids: number[];
    if (sets.length === 0) uids = rule.match === 'all' ? recent : [];
    else if (rule.match === 'all') uids = recent.filter((u) => sets.every((s) => s.has(u)));
    else uids = recent.filter((u) => sets.some((s) => s.has(u)));
    return { method: 'search', uids, unchecked };
  }

  // ---- apply ------------------------------------------------------------------------

  issueToken(uid: string, rule: Rule, found: Matches): string {
    const body: TokenBody = { u: uid, h: ruleHash(rule), v: found.uidValidity, s: uidSet(found.uids), e: Date.now() + TOKEN_TTL_MS };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update('emailng-apply\0').update(payload).digest('base64url');
  }

  readToken(uid: string, rule: Rule, token: string): { uids: number[]; uidValidity: string } {
    const [payload = '', signature = ''] = token.split('.');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new ApiError('validation', 'the preview token is not valid', { fields: { token: 'invalid' } });
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenBody;
    if (body.u !== uid) throw new ApiError('validation', 'the preview token is not yours', { fields: { token: 'invalid' } });
    if (body.e < Date.now()) throw new ApiError('validation', 'the preview is too old: preview again', { fields: { token: 'expired' } });
    if (body.h !== ruleHash(rule)) throw new ApiError('validation', 'the rule changed since the preview: preview again', { fields: { token: 'rule_changed' } });
    return { uids: parseUidSet(body.s), uidValidity: body.v };
  }

  /**
   * Moves / flags exactly the previewed messages, in batches, reporting progress. Flags first,
   * in the rule's order (they travel with a moved message): addflag adds, removeflag removes,
   * setflag replaces the message's flags (STORE FLAGS); then copies for all but the last
   * `fileinto`, then the move (or a copy when every `fileinto` has :copy, as the message then
   * stays).
   */
  async apply(uid: string, rule: Rule, previewed: { uids: number[]; uidValidity: string }, report: (p: ApplyProgress) => Promise<void>, clientAddress?: string): Promise<void> {
    const total = previewed.uids.length;
    const flagChanges = rule.actions.flatMap((a) => (a.type === 'addflag' || a.type === 'removeflag' || a.type === 'setflag' ? [a] : []));
    const targets = rule.actions.flatMap((a) => (a.type === 'fileinto' ? [a] : []));
    const moveTo = targets.filter((t) => !t.copy).at(-1);
    const copies = targets.filter((t) => t !== moveTo);
    let done = 0;
    let moved = 0;
    let flagged = 0;
    try {
      await withImap(
        this.imap,
        uid,
        async (client) => {
          for (const t of targets) {
            if (t.create) await client.mailboxCreate(t.mailbox).catch(() => undefined);
          }
          const lock = await client.getMailboxLock('INBOX');
          try {
            if (!client.mailbox || String(client.mailbox.uidValidity) !== previewed.uidValidity) {
              throw new ApiError('conflict', 'INBOX was recreated since the preview: preview again');
            }
            for (let i = 0; i < total; i += APPLY_BATCH) {
              const batch = uidSet(previewed.uids.slice(i, i + APPLY_BATCH));
              const count = Math.min(APPLY_BATCH, total - i);
              for (const change of flagChanges) {
                if (change.type === 'addflag') await client.messageFlagsAdd(batch, change.flags, { uid: true });
                else if (change.type === 'removeflag') await client.messageFlagsRemove(batch, change.flags, { uid: true });
                else await client.messageFlagsSet(batch, change.flags, { uid: true });
              }
              if (flagChanges.length > 0) flagged += count;
              for (const c of copies) await client.messageCopy(batch, c.mailbox, { uid: true });
              if (moveTo) {
                await client.messageMove(batch, moveTo.mailbox, { uid: true });
                moved += count;
              }
              done += count;
              if (done < total) await report({ type: 'progress', done, total });
            }
          } finally {
            lock.release();
          }
        },
        { clientAddress },
      );
      await report({ type: 'done', done, total, moved, flagged });
    } catch (error) {
      const e = error as Error & { code?: string };
      this.logger.error({ uid, err: e.message }, 'applying a rule to existing messages failed');
      await report({ type: 'error', done, total, code: error instanceof ApiError ? error.code : 'mail_unavailable', message: e.message });
    }
  }
}

const APPLICABLE: ReadonlySet<string> = new Set(['fileinto', 'addflag', 'removeflag', 'setflag']);

/** Only moving and flagging can be applied to messages already delivered. */
export function applicableProblems(rule: Rule): Record<string, string> {
  const fields: Record<string, string> = {};
  rule.actions.forEach((a, i) => {
    if (!APPLICABLE.has(a.type)) fields[`rule.actions.${i}.type`] = 'not_applicable';
  });
  if (!rule.actions.some((a) => APPLICABLE.has(a.type))) fields['rule.actions'] ??= 'not_applicable';
  return fields;
}

