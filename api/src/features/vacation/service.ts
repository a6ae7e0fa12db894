import type { Account } from '../../backends/ldap/directory';
import { ApiError } from '../../http/errors';
import { assembleDocument, parseScript, readAppSettings, type Command, type VacationSettings } from '../../sieve';
import { stringProblem } from '../../sieve/rules/strings';
import { allAddresses, classifyAddresses } from '../../shared/user-addresses';
import { etagOf, sectionText, type ScriptState, type ScriptStore } from '../script/store';
import { VACATION_LIMITS, type VacationInput, type VacationView } from './schemas';
import { toLocalDateTime, toSieveUtc, zonedToUtc } from '../../shared/zoned-time';
import type { AppConfig } from '../../config/load';
import { normalizeSubject, replyTextProblem } from './text';
import { neverAnsweredBy } from './delivery';

export type VacationPolicy = AppConfig['vacation'];

const DEFAULT_INTERVAL_DAYS = 7;

function containsVacation(commands: readonly Command[]): boolean {
  return commands.some((c) => c.name.toLowerCase() === 'vacation' || containsVacation(c.block ?? []));
}

/**
 * A vacation reply the app did not write (a hand-written one, or one Roundcube wrote or
 * re-saved). Pigeonhole refuses two vacation actions in one delivery — and then runs no
 * filter at all — so the app must not add a second one.
 */
export function vacationElsewhere(state: ScriptState): boolean {
  return state.doc.items.some((item) => {
    if (item.kind === 'rule') return item.rule.actions.some((a) => a.type === 'vacation');
    if (item.kind === 'custom') return containsVacation(parseScript(item.text).commands);
    return false;
  });
}

export function vacationEtag(state: ScriptState): string {
  return etagOf('vacation', sectionText(state, 'vacation'), state.foreignActive ?? '');
}

function fromUtc(instant: string | undefined, timeZone: string): string | null {
  return instant === undefined ? null : toLocalDateTime(new Date(`${instant}Z`), timeZone);
}

export function vacationView(state: ScriptState, account: Account, defaultTimeZone: string, policy: VacationPolicy): VacationView {
  const read = readAppSettings(state.doc, state.options);
  const v = read.vacation;
  const timeZone = v?.timeZone ?? defaultTimeZone;
  const addresses = classifyAddresses(account);
  return {
    etag: vacationEtag(state),
    handEdited: read.handEdited.includes('vacation'),
    vacationElsewhere: vacationElsewhere(state),
    foreignScript: state.foreignActive === null ? null : { name: state.foreignActive },
    vacation: {
      enabled: v !== undefined && v.enabled !== false,
      start: fromUtc(v?.start, timeZone),
      end: fromUtc(v?.end, timeZone),
      timeZone,
      subject: v?.subject ?? '',
      message: v?.body ?? '',
      intervalDays: v?.days ?? DEFAULT_INTERVAL_DAYS,
      from: v?.from ?? null,
    },
    addresses: [
      ...(addresses.login ? [{ address: addresses.login, kind: 'login' as const }] : []),
      ...(addresses.defaultAlias ? [{ address: addresses.defaultAlias, kind: 'default' as const }] : []),
      ...addresses.additional.map((address) => ({ address, kind: 'alias' as const })),
    ],
    limits: { ...VACATION_LIMITS },
    neverAnswered: neverAnsweredBy(v, policy),
  };
}

/**
 * Checks what zod cannot (order of dates, the sender address, what Sieve can carry) and turns
 * the input into the section's settings. Field codes go back to the UI.
 */
export function vacationSettings(input: VacationInput, account: Account, policy: VacationPolicy, now = new Date()): VacationSettings {
  const fields: Record<string, string> = {};
  const own = allAddresses(classifyAddresses(account));
  const subject = normalizeSubject(input.subject);
  const message = input.message.replace(/\r\n?/g, '\n');
  const subjectProblem = stringProblem(subject, true);
  if (subjectProblem) fields.subject = subjectProblem.code === 'line-break-not-allowed' ? 'line_break' : 'invalid';
  else if (replyTextProblem(subject)) fields.subject = replyTextProblem(subject) as string;
  const messageProblem = stringProblem(message, false);
  if (messageProblem) fields.message = 'invalid';
  else if (replyTextProblem(message)) fields.message = replyTextProblem(message) as string;
  else if (input.enabled && message.trim() === '') fields.message = 'required';
  if (input.from !== null && !own.some((a) => a.toLowerCase() === input.from?.toLowerCase())) fields.from = 'not_own_address';

  const start = input.start === null ? null : zonedToUtc(input.start, input.timeZone);
  const end = input.end === null ? null : zonedToUtc(input.end, input.timeZone);
  if (start && end && end.getTime() <= start.getTime()) fields.end = 'end_before_start';
  else if (input.enabled && end && end.getTime() <= now.getTime()) fields.end = 'end_in_past';

  if (Object.keys(fields).length > 0) {
    throw new ApiError('validation', `invalid vacation settings: ${Object.entries(fields).map(([f, c]) => `${f}: ${c}`).join(', ')}`, { fields });
  }
  return {
    ...(input.enabled ? {} : { enabled: false }),
    body: message,
    ...(subject !== '' ? { subject } : {}),
    ...(input.from !== null ? { from: input.from } : {}),
    addresses: own,
    days: input.intervalDays,
    ...(start ? { start: toSieveUtc(start) } : {}),
    ...(end ? { end: toSieveUtc(end) } : {}),
    timeZone: input.timeZone,
    ...(policy.noReplyLocalParts.length > 0 ? { noReplyLocalParts: [...policy.noReplyLocalParts] } : {}),
    skipFlaggedSpam: true,
  };
}

export class VacationService {
  constructor(
    private readonly scripts: ScriptStore,
    private readonly defaultTimeZone: string,
    private readonly policy: VacationPolicy,
  ) {}

  async get(account: Account, clientAddress: string): Promise<VacationView> {
    const state = await this.scripts.read(account.uid, { clientAddress });
    return vacationView(state, account, this.defaultTimeZone, this.policy);
  }

  async save(account: Account, input: VacationInput, ifMatch: string | undefined, clientAddress: string): Promise<VacationView> {
    const vacation = vacationSettings(input, account, this.policy);
    const state = await this.scripts.update(
      account.uid,
      {
        ifMatch,
        etagOf: vacationEtag,
        describe: (current) => vacationView(current, account, this.defaultTimeZone, this.policy),
        change: (current) => {
          if (vacation.enabled !== false && vacationElsewhere(current)) {
            throw new ApiError('validation', 'your filters already send an automatic reply; a second one would stop all filtering', {
              fields: { enabled: 'vacation_elsewhere' },
            });
          }
          return assembleDocument(current.doc, { vacation }, current.options);
        },
        audit: `vacation ${input.enabled ? 'on' : 'off'}${input.start ? ` from ${input.start}` : ''}${input.end ? ` until ${input.end}` : ''} (${input.timeZone})`,
      },
      { clientAddress },
    );
    return vacationView(state, account, this.defaultTimeZone, this.policy);
  }

  /**
   * Keeps the vacation block's :addresses equal to the user's addresses (the aliases feature
   * calls this when they change, in the same operation). No vacation block: nothing to do.
   */
  async addressesChanged(uid: string, addresses: string[], clientAddress?: string): Promise<void> {
    const current = await this.scripts.read(uid, { clientAddress });
    const vacation = readAppSettings(current.doc, current.options).vacation;
    if (!vacation || current.foreignActive !== null) return;
    await this.scripts.update(
      uid,
      {
        ifMatch: vacationEtag(current),
        etagOf: vacationEtag,
        describe: () => null,
        change: (state) => assembleDocument(state.doc, { vacation: { ...vacation, addresses } }, state.options),
        audit: 'vacation addresses follow the user’s aliases',
      },
      { clientAddress },
    );
  }
}
