import type { ImapFlow } from 'imapflow';
import type { ImapSessions } from '../../backends/imap/sessions';
import type { Account } from '../../backends/ldap/directory';
import type { LoggedRow, QuarantineStore } from '../../backends/quarantine/store';
import type { AppConfig } from '../../config/load';
import type { Logger } from '../../logging';
import type { Rule } from '../../sieve';
import { sieveProbe } from '../filters/tester';
import { withImap } from '../folders/imap';
import { quarantineUnavailable } from '../quarantine/unavailable';
import type { ScriptState, ScriptStore } from '../script/store';
import { spamView } from '../spam/service';
import { readAppSettings } from '../../sieve';
import { headerPart, headerValue, spamTests, type SpamTest } from './spam-status';
import type { TraceQuery } from './trace-query';

/** Messages a trace lists; the mailbox is searched for the first few that were passed on. */
const MAX_RECORDS = 20;
const MAX_LOOKED_UP = 5;
/** Folders searched for a delivered message. */
const MAX_FOLDERS = 100;
/** How much of a held message is read to find its header (the body is never returned). */
const HEADER_BYTES = 32 * 1024;

export type Verdict = 'passed' | 'held' | 'dropped' | 'refused' | 'deferred';
export type Content = 'clean' | 'spam' | 'blocked' | 'virus' | 'banned' | 'bad-header' | 'other';

/** What the user's script does with the message, tested now on the copy in the mailbox. */
export interface SieveOutcome {
  /** The folder the message is in now. */
  folder: string;
  /** The user's rules that match it, in order, up to and including one that stops. */
  rules: Array<{ name: string; actions: Array<{ type: string; target: string | null }> }>;
  /** The spam section files it (its score is at or over the user's threshold). */
  spamFiled: boolean;
  spamFolder: string | null;
  /** Where the forwarding section sends a copy of every message, if anywhere. */
  forwardedTo: string[];
  /** The vacation section is on (whether it answered depends on who sent it, and when). */
  vacationOn: boolean;
  /** The server could not run the test (no FILTER=SIEVE): rules are not shown. */
  untested: boolean;
}

export interface ExplainedMessage {
  receivedAt: string;
  sender: string;
  from: string;
  subject: string;
  messageId: string;
  recipient: string;
  verdict: Verdict;
  content: Content;
  score: number | null;
  tests: SpamTest[] | null;
  /** The virus or the banned part's name, when the filter named one. */
  detail: string | null;
  /** For a message passed on: null when it was not looked up (past the first few). */
  delivery: { found: false } | ({ found: true } & SieveOutcome) | null;
}

export type CannotShow = 'before-filter' | 'script-now' | 'moved-or-deleted' | 'replies-sent' | 'not-looked-up' | 'more-records';

export interface Explanation {
  messages: ExplainedMessage[];
  /** What the records cannot show, as codes the SPA words. */
  cannotShow: CannotShow[];
}

const VERDICT_OF_DS: Record<string, Verdict> = { P: 'passed', B: 'refused', R: 'refused', T: 'deferred' };

function verdictOf(row: LoggedRow): Verdict {
  if (row.delivery === 'D') return row.quarantined ? 'held' : 'dropped';
  return VERDICT_OF_DS[row.delivery] ?? 'refused';
}

function contentOf(row: LoggedRow): Content {
  switch (row.content) {
    case 'C':
      return 'clean';
    case 'S':
    case 'Y':
      return row.blocked ? 'blocked' : 'spam';
    case 'V':
      return 'virus';
    case 'B':
      return 'banned';
    case 'H':
      return 'bad-header';
    default:
      return 'other';
  }
}

function detailOf(row: LoggedRow): string | null {
  const virus = /INFECTED: (.+)$/.exec(row.smtpResponse)?.[1];
  if (virus) return virus.trim();
  const banned = /BANNED: (.+)$/.exec(row.smtpResponse)?.[1]?.split(',');
  return banned && banned.length > 0 ? (banned[banned.length - 1] as string).trim() : null;
}

const actionTarget = (a: Rule['actions'][number]): string | null => (a.type === 'fileinto' ? a.mailbox : a.type === 'redirect' ? a.address : a.type === 'addflag' || a.type === 'setflag' || a.type === 'removeflag' ? a.flags.join(' ') : null);

/**
 * "Where did my mail go?": what the content filter logged for the user in a window, and for
 * messages it passed on, what the user's current script does with the copy in the mailbox —
 * tested with the rule tester's FILTER=SIEVE probe, which changes nothing. Headers only.
 */
export class MessageExplainer {
  constructor(
    private readonly deps: { quarantine: QuarantineStore | null; imap: ImapSessions; scripts: ScriptStore; logger: Logger },
    private readonly config: Pick<AppConfig, 'spam'>,
  ) {}

  async explain(account: Account, query: TraceQuery, clientAddress: string): Promise<Explanation> {
    const addresses = [account.mail, ...account.alternateAddresses];
    const cannotShow = new Set<CannotShow>(['before-filter', 'script-now', 'moved-or-deleted', 'replies-sent']);
    if (!this.deps.quarantine) return { messages: [], cannotShow: [...cannotShow] };
    const store = this.deps.quarantine;
    const { rows, more } = await store.logged(addresses, { ...query, limit: MAX_RECORDS }).catch(quarantineUnavailable);
    if (more) cannotShow.add('more-records');
    const messages = rows.map((row): ExplainedMessage => ({
      receivedAt: row.receivedAt.toISOString(),
      sender: row.sender,
      from: row.from,
      subject: row.subject,
      messageId: row.messageId,
      recipient: row.recipient,
      verdict: verdictOf(row),
      content: contentOf(row),
      score: row.blocked ? null : row.score,
      tests: null,
      detail: detailOf(row),
      delivery: null,
    }));
    await Promise.all(
      rows.map(async (row, i) => {
        const message = messages[i] as ExplainedMessage;
        if (message.verdict !== 'held') return;
        const { bytes } = await store.messageText(addresses, row.key, HEADER_BYTES).catch(() => ({ bytes: Buffer.alloc(0) }));
        message.tests = spamTests(headerValue(headerPart(bytes.toString('utf8')), 'X-Spam-Status'));
      }),
    );
    const passed = messages.filter((m) => m.verdict === 'passed' && m.messageId !== '');
    if (passed.length > MAX_LOOKED_UP) cannotShow.add('not-looked-up');
    const lookUp = passed.slice(0, MAX_LOOKED_UP);
    if (lookUp.length > 0) {
      const state = await this.deps.scripts.read(account.uid, { clientAddress });
      await withImap(this.deps.imap, account.uid, async (client) => {
        for (const message of lookUp) message.delivery = await this.follow(client, state, message);
      }, { clientAddress });
    }
    return { messages, cannotShow: [...cannotShow] };
  }

  /** Finds the delivered copy by its Message-ID and tests the script on it. */
  private async follow(client: ImapFlow, state: ScriptState, message: ExplainedMessage): Promise<ExplainedMessage['delivery']> {
    const folders = (await client.list()).filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent')).slice(0, MAX_FOLDERS);
    for (const folder of folders) {
      const lock = await client.getMailboxLock(folder.path, { readOnly: true });
      try {
        const found = (await client.search({ header: { 'message-id': message.messageId } }, { uid: true })) || [];
        const uid = found[0];
        if (uid === undefined) continue;
        const fetched = await client.fetchOne(String(uid), { headers: ['x-spam-status'] }, { uid: true });
        const headers = fetched && fetched.headers ? fetched.headers.toString('utf8') : '';
        message.tests ??= spamTests(headerValue(headers, 'X-Spam-Status'));
        return { found: true, ...(await this.outcome(client, state, message, uid, folder.path)) };
      } finally {
        lock.release();
      }
    }
    return { found: false };
  }

  private async outcome(client: ImapFlow, state: ScriptState, message: ExplainedMessage, uid: number, folder: string): Promise<SieveOutcome> {
    const settings = readAppSettings(state.doc, state.options);
    const { spam, delivery } = spamView(state, this.config.spam);
    const threshold = delivery.filing === 'score' || delivery.filing === 'flagged' ? delivery.from : null;
    const spamFiled = threshold !== null && message.score !== null && message.score >= threshold;
    const rules: SieveOutcome['rules'] = [];
    let untested = false;
    // The spam section comes before the user's rules and stops: a filed message meets no rule.
    for (const item of spamFiled ? [] : state.doc.items) {
      if (item.kind !== 'rule' || !item.rule.enabled) continue;
      let matched: number[];
      try {
        matched = await sieveProbe(client, item.rule, [uid]);
      } catch (error) {
        this.deps.logger.warn({ err: (error as Error).message }, 'helpdesk explain: FILTER=SIEVE probe refused');
        untested = true;
        break;
      }
      if (!matched.includes(uid)) continue;
      rules.push({ name: item.rule.name, actions: item.rule.actions.map((a) => ({ type: a.type, target: actionTarget(a) })) });
      if (item.rule.stop) break;
    }
    return {
      folder,
      rules,
      spamFiled,
      spamFolder: spamFiled ? spam.folder : null,
      forwardedTo: settings.forwarding?.addresses ?? [],
      vacationOn: settings.vacation !== undefined && settings.vacation !== null && settings.vacation.enabled !== false,
      untested,
    };
  }
}
