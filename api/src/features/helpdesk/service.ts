import type { ActivityStore, HelpdeskEntry } from '../../auth/activity-store';
import type { ImapSessions } from '../../backends/imap/sessions';
import type { Account, Directory } from '../../backends/ldap/directory';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import type { ForwardingService } from '../forwarding/service';
import type { QuotaService } from '../quota/service';
import type { VacationService } from '../vacation/service';
import type { HelpdeskAccess, HelpdeskAction, Member } from './access';
import type { DeliveryReader, DeliveryScreen } from './delivery';
import type { Explanation, MessageExplainer } from './explain';
import { helpdeskNotice } from './notice';
import { bestMatches, checkQuery, fold, MAX_CANDIDATES, namePieces, type FoundUser } from './search';
import { parseTraceQuery, type TraceInput } from './trace-query';

export interface ActionRequest {
  reason: string;
  /** The login of the user the member confirmed acting on. */
  confirm: string;
  ifMatch: string | undefined;
  /** remove-forward: the address to stop forwarding to. */
  address?: string;
  /** empty-spam: the SPAM folder as the confirmation showed it. */
  spam?: { uidValidity: string; uidNext: number; expectedMessages: number };
}

const AREA_OF: Record<HelpdeskAction, string> = { 'vacation-off': 'vacation', 'remove-forward': 'forwarding', 'empty-spam': 'quota' };

const invalid = (field: string, code: string, message: string): never => {
  throw new ApiError('validation', message, { fields: { [field]: code } });
};

/**
 * The helpdesk's side of the app: find a user, read their delivery, explain a message, act on
 * their behalf. Every look and action is written to the user's `helpdesk` activity stream
 * (their Security page) and the audit log; actions also leave a note in their INBOX.
 */
export class HelpdeskService {
  constructor(
    private readonly deps: {
      access: HelpdeskAccess;
      directory: Directory;
      delivery: DeliveryReader;
      explainer: MessageExplainer;
      vacation: VacationService;
      forwarding: ForwardingService;
      quota: QuotaService;
      imap: ImapSessions;
      activity: ActivityStore;
      logger: Logger;
    },
    private readonly domain: string,
  ) {}

  /** What the signed-in member may do (the SPA shows or hides the actions). */
  whoAmI(member: Member): { may: Member['may']; actions: readonly HelpdeskAction[] } {
    return { may: member.may, actions: member.may === 'act' ? this.deps.access.allowedActions : [] };
  }

  async search(member: Member, raw: string): Promise<{ users: FoundUser[]; truncated: boolean }> {
    const checked = checkQuery(raw);
    if ('problem' in checked) invalid('q', checked.problem, `search: ${checked.problem}`);
    const query = (checked as { query: string }).query;
    const folded = fold(query);
    const { accounts, truncated } = await this.deps.directory.searchAccounts(folded, namePieces(folded), MAX_CANDIDATES);
    const others = accounts.filter((a) => a.dn !== member.account.dn);
    return { users: bestMatches(others, query), truncated };
  }

  async delivery(member: Member, targetUid: string, reason: string, clientAddress: string): Promise<{ user: { uid: string; displayName: string }; screen: DeliveryScreen }> {
    const target = await this.deps.access.target(member, targetUid);
    const screen = await this.deps.delivery.read(target, clientAddress);
    await this.record(member, target, { kind: 'view', what: 'delivery', reason }, clientAddress);
    return { user: { uid: target.uid, displayName: target.displayName }, screen };
  }

  async explain(member: Member, targetUid: string, input: TraceInput, reason: string, clientAddress: string): Promise<Explanation> {
    const parsed = parseTraceQuery(input);
    if ('problem' in parsed) invalid(parsed.field, parsed.problem, `message trace: ${parsed.field} ${parsed.problem}`);
    const target = await this.deps.access.target(member, targetUid);
    const explanation = await this.deps.explainer.explain(target, (parsed as Extract<typeof parsed, { query: unknown }>).query, clientAddress);
    await this.record(member, target, { kind: 'view', what: 'explain', reason }, clientAddress);
    return explanation;
  }

  async act(member: Member, targetUid: string, action: HelpdeskAction, request: ActionRequest, clientAddress: string): Promise<void> {
    this.deps.access.assertMayAct(member, action);
    const target = await this.deps.access.target(member, targetUid);
    if (request.confirm !== target.uid) invalid('confirm', 'mismatch', 'confirm with the login of the user you act on');
    const detail = await this.carryOut(target, action, request, clientAddress);
    await this.record(member, target, { kind: 'action', what: action, reason: request.reason }, clientAddress);
    await this.deps.activity
      .append(target.uid, 'changes', { at: Date.now(), area: AREA_OF[action], source: 'helpdesk', what: action, details: { actor: member.account.uid }, clientAddress })
      .catch((error: unknown) => this.deps.logger.error({ err: (error as Error).message }, 'could not record a helpdesk change'));
    await this.leaveNotice(member, target, action, detail, request.reason, clientAddress);
  }

  /** Does the action through the feature's own service (its ETag and conflict rules); returns what to name in the notice. */
  private async carryOut(target: Account, action: HelpdeskAction, request: ActionRequest, clientAddress: string): Promise<string | null> {
    switch (action) {
      case 'vacation-off': {
        const view = await this.deps.vacation.get(target, clientAddress);
        await this.deps.vacation.save(target, { ...view.vacation, enabled: false }, request.ifMatch, clientAddress);
        return null;
      }
      case 'remove-forward': {
        const address = request.address?.trim().toLowerCase() ?? '';
        if (address === '') invalid('address', 'required', 'name the forwarding address to remove');
        const current = await this.deps.forwarding.get(target, clientAddress);
        const rest = current.forwarding.addresses.filter((a) => a.toLowerCase() !== address);
        if (rest.length === current.forwarding.addresses.length) invalid('address', 'not_found', 'the user does not forward to that address');
        await this.deps.forwarding.save(target, { addresses: rest, keepCopy: current.forwarding.keepCopy }, request.ifMatch, clientAddress);
        return address;
      }
      case 'empty-spam': {
        if (!request.spam) return invalid('spam', 'required', 'send the SPAM folder as the confirmation showed it');
        const result = await this.deps.quota.empty(target.uid, { folder: 'SPAM', ...request.spam }, clientAddress);
        return String(result.deleted);
      }
    }
  }

  private async record(member: Member, target: Account, what: Pick<HelpdeskEntry, 'kind' | 'what' | 'reason'>, clientAddress: string): Promise<void> {
    const entry: HelpdeskEntry = { at: Date.now(), actor: member.account.uid, actorName: member.account.displayName, ...what, reason: what.reason.trim() };
    this.deps.logger.info({ log: 'audit', uid: member.account.uid, client: clientAddress, change: `helpdesk ${what.kind} ${what.what} of ${target.uid}`, reason: entry.reason }, 'helpdesk');
    await this.deps.activity.append(target.uid, 'helpdesk', entry);
  }

  /** Best effort: the action has happened; a lost note is logged, not undone. */
  private async leaveNotice(member: Member, target: Account, action: HelpdeskAction, detail: string | null, reason: string, clientAddress: string): Promise<void> {
    const raw = await helpdeskNotice({ to: target.mail, domain: this.domain, action, detail, actorName: member.account.displayName, reason: reason.trim(), at: new Date() });
    try {
      await this.deps.imap.use(target.uid, (client) => client.append('INBOX', raw), { clientAddress });
    } catch (error) {
      this.deps.logger.error({ uid: target.uid, err: (error as Error).message }, 'could not leave the helpdesk notice in the INBOX');
    }
  }
}
