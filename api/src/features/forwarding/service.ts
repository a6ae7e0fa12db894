import type { ImapSessions } from '../../backends/imap/sessions';
import type { Account, Directory } from '../../backends/ldap/directory';
import type { AppConfig } from '../../config/load';
import { ApiError } from '../../http/errors';
import type { Logger } from '../../logging';
import { forwardTargetProblem } from '../../shared/forward-target';
import { normalizeAddress } from '../../shared/mail-address';
import { assembleDocument, parseScript, readAppSettings, type Command, type SieveDocument } from '../../sieve';
import { allAddresses, classifyAddresses } from '../../shared/user-addresses';
import { etagOf, sectionText, type ScriptState, type ScriptStore } from '../script/store';
import { forwardingNotice } from './notice';
import { foldersFiledByFilters } from './still-filed';
import type { ForwardingInput, ForwardingView } from './schemas';

/** Dovecot's default sieve_max_redirects, when the server does not say (MAXREDIRECTS). */
const DEFAULT_MAX_REDIRECTS = 4;

function countRedirects(commands: readonly Command[]): number {
  return commands.reduce((n, c) => n + (c.name.toLowerCase() === 'redirect' ? 1 : 0) + countRedirects(c.block ?? []), 0);
}

/**
 * Redirects in the user's own filters and custom Sieve: they share the server's limit with
 * forwarding, and redirects beyond it fail silently at delivery.
 */
export function redirectsOutsideForwarding(doc: SieveDocument): number {
  let count = 0;
  for (const item of doc.items) {
    if (item.kind === 'rule') count += item.rule.actions.filter((a) => a.type === 'redirect').length;
    else if (item.kind === 'custom') count += countRedirects(parseScript(item.text).commands);
  }
  return count;
}

/**
 * The exits outside the forwarding page's own store, which share the server's limit with it
 * (features/exits): for the Sieve store the directory's forwards, for the LDAP store the
 * script's redirects and the limit the script's server gives.
 */
export interface OtherExits {
  count: number;
  limit?: number;
}

export class ForwardingService {
  constructor(
    private readonly deps: {
      scripts: ScriptStore;
      directory: Directory;
      imap: ImapSessions;
      logger: Logger;
      otherExits?: (account: Account, clientAddress: string) => Promise<OtherExits>;
    },
    private readonly config: Pick<AppConfig, 'forwarding' | 'mail'>,
  ) {}

  private otherExits(account: Account, clientAddress: string): Promise<OtherExits> {
    return this.deps.otherExits ? this.deps.otherExits(account, clientAddress) : Promise.resolve({ count: 0 });
  }

  private maxAddresses(state: ScriptState | null, others: OtherExits = { count: 0 }): number {
    const serverLimit = state
      ? (state.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS) - redirectsOutsideForwarding(state.doc) - others.count
      : others.limit === undefined
        ? this.config.forwarding.maxAddresses
        : others.limit - others.count;
    return Math.max(0, Math.min(this.config.forwarding.maxAddresses, serverLimit));
  }

  /** The setting as the script holds it (Sieve store). */
  sieveView(state: ScriptState, others: OtherExits = { count: 0 }): ForwardingView {
    const read = readAppSettings(state.doc, state.options);
    return {
      etag: etagOf('forwarding', sectionText(state, 'forwarding'), state.foreignActive ?? ''),
      handEdited: read.handEdited.includes('forwarding'),
      foreignScript: state.foreignActive === null ? null : { name: state.foreignActive },
      forwarding: { addresses: read.forwarding?.addresses ?? [], keepCopy: read.forwarding?.keepCopy ?? true },
      limits: { maxAddresses: this.maxAddresses(state, others) },
      stillFiledIn: foldersFiledByFilters(state.doc),
      store: 'sieve',
    };
  }

  async ldapView(account: Account, others: OtherExits = { count: 0 }): Promise<ForwardingView> {
    const values = await this.deps.directory.forwardingAddresses(account.dn);
    const own = account.mail.toLowerCase();
    const addresses = values.filter((v) => v.toLowerCase() !== own);
    return {
      etag: etagOf('forwarding-ldap', ...values),
      handEdited: false,
      foreignScript: null,
      // With no forwarding, the mail simply stays: show "keep a copy" on for the next change.
      forwarding: { addresses, keepCopy: addresses.length === 0 || values.some((v) => v.toLowerCase() === own) },
      limits: { maxAddresses: this.maxAddresses(null, others) },
      // The relays send it on before delivery: without a copy, no filter of hers ever sees it.
      stillFiledIn: [],
      store: 'ldap',
    };
  }

  async get(account: Account, clientAddress: string): Promise<ForwardingView> {
    const others = await this.otherExits(account, clientAddress);
    if (this.config.forwarding.store === 'ldap') return this.ldapView(account, others);
    return this.sieveView(await this.deps.scripts.read(account.uid, { clientAddress }), others);
  }

  /** The setting, from an already-read script when forwarding lives there. */
  async fromState(account: Account, state: ScriptState): Promise<ForwardingView> {
    return this.config.forwarding.store === 'ldap' ? this.ldapView(account) : this.sieveView(state);
  }

  /** Field codes: those of forwardTargetProblem (shared/forward-target.ts), duplicate, too_many. */
  private validate(input: ForwardingInput, account: Account, max: number): string[] {
    const fields: Record<string, string> = {};
    const own = allAddresses(classifyAddresses(account));
    const addresses = input.addresses.map(normalizeAddress).filter((a) => a !== '');
    addresses.forEach((address, i) => {
      const problem = forwardTargetProblem(address, own);
      if (problem) fields[`addresses.${i}`] = problem;
      else if (addresses.indexOf(address) !== i) fields[`addresses.${i}`] = 'duplicate';
    });
    if (addresses.length > max) fields.addresses = 'too_many';
    if (Object.keys(fields).length > 0) {
      throw new ApiError('validation', `invalid forwarding: ${Object.entries(fields).map(([f, c]) => `${f}: ${c}`).join(', ')}`, { fields });
    }
    return addresses;
  }

  async save(account: Account, input: ForwardingInput, ifMatch: string | undefined, clientAddress: string): Promise<ForwardingView> {
    let view: ForwardingView;
    let addresses: string[];
    const others = await this.otherExits(account, clientAddress);
    if (this.config.forwarding.store === 'ldap') {
      const current = await this.ldapView(account, others);
      addresses = this.validate(input, account, this.maxAddresses(null, others));
      if (ifMatch === undefined) throw new ApiError('precondition_required', 'send If-Match with the ETag of the version you are changing');
      if (ifMatch !== current.etag) throw new ApiError('conflict', 'changed elsewhere since you loaded it; nothing was saved', { current });
      const values = addresses.length > 0 && input.keepCopy ? [...addresses, account.mail] : addresses;
      await this.deps.directory.replaceForwardingAddresses(account.dn, values);
      this.deps.logger.info({ log: 'audit', uid: account.uid, client: clientAddress, change: `forwarding (ldap) to ${addresses.length} address(es)` }, 'settings changed');
      view = await this.ldapView(account, others);
    } else {
      let chosen: string[] = [];
      const state = await this.deps.scripts.update(
        account.uid,
        {
          ifMatch,
          etagOf: (s) => this.sieveView(s).etag,
          describe: (s) => this.sieveView(s, others),
          change: (s) => {
            chosen = this.validate(input, account, this.maxAddresses(s, others));
            return assembleDocument(s.doc, { forwarding: chosen.length > 0 ? { addresses: chosen, keepCopy: input.keepCopy } : null }, s.options);
          },
          audit: `forwarding to ${input.addresses.length} address(es), keep copy ${input.keepCopy}`,
        },
        { clientAddress },
      );
      addresses = chosen;
      view = this.sieveView(state, others);
    }
    await this.leaveNotice(account, addresses, input.keepCopy, clientAddress);
    return view;
  }

  /** Best effort: the change itself has happened; a lost note is logged, not undone. */
  private async leaveNotice(account: Account, addresses: string[], keepCopy: boolean, clientAddress: string): Promise<void> {
    try {
      const raw = await forwardingNotice({ to: account.mail, domain: this.config.mail.domain, addresses, keepCopy, clientAddress, at: new Date() });
      await this.deps.imap.use(account.uid, (client) => client.append('INBOX', raw), { clientAddress });
    } catch (error) {
      this.deps.logger.error({ uid: account.uid, err: (error as Error).message }, 'could not leave the forwarding notice in INBOX');
    }
  }
}
