import type { ActivityStore, AlertEntry } from '../../auth/activity-store';
import type { SessionStore } from '../../auth/session-store';
import type { Account, Directory } from '../../backends/ldap/directory';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import { assembleDocument, readAppSettings } from '../../sieve';
import type { ScriptStore } from '../script/store';
import { cutCommands, scriptExits, type MailExit } from './find';
import { exitsEtag, type ExitsService, type ExitsState, type ExitsView } from './service';

export interface AlertView {
  id: string;
  at: string;
  what: string;
  details: Record<string, string | number | boolean>;
  resolved: 'acknowledged' | 'not-me' | null;
  /** The exit the alert is about, as it is now; null when it is gone (or the alert is about an auto-reply). */
  exit: MailExit | null;
}

export interface AlertsView {
  /** Send as If-Match to "This wasn't me": the exits the user saw. */
  etag: string;
  alerts: AlertView[];
}

export interface NotMeResult {
  removed: MailExit | null;
  sessionsEnded: number;
}

/** Alerts shown: the newest, enough for a month of a busy account. */
const ALERTS_SHOWN = 50;

/**
 * The Security page's alerts and the answer "This wasn't me": every other session of the user
 * ends, and the one exit the alert names goes — from the forwarding section (rewritten from its
 * settings), from a rule or hand-written Sieve (only that `redirect` statement is cut, the rest
 * of the script stays byte for byte) or from the directory. Nothing else changes; a script
 * changed since the user looked answers 409 and changes nothing.
 */
export class AlertsService {
  constructor(
    private readonly deps: { exits: ExitsService; scripts: ScriptStore; directory: Directory; activity: ActivityStore; sessionStore: SessionStore; logger: Logger },
  ) {}

  async list(account: Account, clientAddress: string): Promise<AlertsView> {
    const view = await this.deps.exits.list(account, clientAddress);
    const alerts = await this.deps.activity.list(account.uid, 'alerts', ALERTS_SHOWN);
    return { etag: view.etag, alerts: alerts.map((a) => toView(a, view.exits)) };
  }

  /** The exits now (noticing what is new) and how many alerts wait for an answer: for the overview. */
  async summary(account: Account, clientAddress: string): Promise<{ view: ExitsView; openAlerts: number }> {
    const view = await this.deps.exits.list(account, clientAddress);
    const alerts = await this.deps.activity.list(account.uid, 'alerts', ALERTS_SHOWN);
    return { view, openAlerts: alerts.filter((a) => !a.resolved).length };
  }

  async acknowledge(account: Account, id: string, clientAddress: string): Promise<AlertsView> {
    const alert = await this.find(account.uid, id);
    if (!alert.resolved) await this.deps.activity.replace(account.uid, 'alerts', alert, { ...alert, resolved: 'acknowledged' });
    return this.list(account, clientAddress);
  }

  async notMe(account: Account, currentSid: string, id: string, ifMatch: string | undefined, clientAddress: string): Promise<NotMeResult> {
    if (ifMatch === undefined) throw new ApiError('precondition_required', 'send If-Match with the etag of the alerts you saw');
    const alert = await this.find(account.uid, id);
    const removed = await this.deps.exits.watch(account, 'not-me', clientAddress, () => this.removeExit(account, alert, ifMatch, clientAddress), { notice: false });
    const sessionsEnded = await this.deps.sessionStore.endOthers(account.uid, currentSid);
    await this.deps.activity.replace(account.uid, 'alerts', alert, { ...alert, resolved: 'not-me' });
    this.deps.logger.info(
      { log: 'audit', uid: account.uid, client: clientAddress, change: `"this wasn't me": ${removed ? `removed the ${removed.source} exit to ${removed.address}` : 'no exit to remove'}, ended ${sessionsEnded} other session(s)` },
      'settings changed',
    );
    return { removed, sessionsEnded };
  }

  private async find(uid: string, id: string): Promise<AlertEntry> {
    const alert = (await this.deps.activity.list(uid, 'alerts')).find((a) => a.id === id);
    if (!alert) throw new ApiError('alert_not_found', 'you have no alert with this id');
    return alert;
  }

  private async removeExit(account: Account, alert: AlertEntry, ifMatch: string, clientAddress: string): Promise<MailExit | null> {
    const state = await this.deps.exits.read(account, clientAddress);
    const conflict = (s: ExitsState['raw'], ldap: readonly string[]) => new ApiError('conflict', 'your settings changed since you looked; nothing was changed', { current: { etag: exitsEtag(s, ldap) } });
    if (exitsEtag(state.raw, state.ldapValues) !== ifMatch) throw conflict(state.raw, state.ldapValues);
    const exitId = alert.details?.exitId;
    if (typeof exitId !== 'string') return null;
    const exit = this.deps.exits.view(account, state).exits.find((e) => e.id === exitId);
    if (!exit) return null;
    const update = {
      ifMatch,
      etagOf: (s: Pick<ExitsState['raw'], 'text' | 'foreignActive'>) => exitsEtag(s, state.ldapValues),
      describe: (s: Pick<ExitsState['raw'], 'text' | 'foreignActive'>) => ({ etag: exitsEtag(s, state.ldapValues) }),
      audit: `"this wasn't me": removed the ${exit.source} exit to ${exit.address}`,
      history: { what: 'exit-removed' as const, details: { source: exit.source, address: exit.address } },
    };
    const context = { clientAddress };
    if (exit.source === 'ldap') {
      const address = exit.address.toLowerCase();
      const rest = state.ldapValues.filter((v) => v.toLowerCase() !== address);
      // Only the user's own address left would mean "keep a copy" of nothing: the attribute goes.
      const forwards = rest.filter((v) => v.toLowerCase() !== account.mail.toLowerCase());
      await this.deps.directory.replaceForwardingAddresses(account.dn, forwards.length > 0 ? rest : []);
    } else if (exit.source === 'forwarding') {
      await this.deps.scripts.update(
        account.uid,
        {
          ...update,
          change: (s) => {
            const current = readAppSettings(s.doc, s.options).forwarding;
            const addresses = (current?.addresses ?? []).filter((a) => a.toLowerCase() !== exit.address.toLowerCase());
            return assembleDocument(s.doc, { forwarding: addresses.length > 0 && current ? { ...current, addresses } : null }, s.options);
          },
        },
        context,
      );
    } else {
      const commands = scriptExits(state.raw.text)
        .filter((e) => e.id === exit.id)
        .map((e) => e.command);
      await this.deps.scripts.replaceText(account.uid, { ...update, text: cutCommands(state.raw.text, commands) }, context);
    }
    return exit;
  }
}

function toView(alert: AlertEntry, exits: readonly MailExit[]): AlertView {
  const exitId = alert.details?.exitId;
  return {
    id: alert.id,
    at: new Date(alert.at).toISOString(),
    what: alert.what,
    details: alert.details ?? {},
    resolved: alert.resolved ?? null,
    exit: (typeof exitId === 'string' && exits.find((e) => e.id === exitId)) || null,
  };
}
