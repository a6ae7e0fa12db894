import type { SignInEntry, ActivityStore } from '../../auth/activity-store';
import type { Account, AmavisSettings, Directory } from '../../backends/ldap/directory';
import type { Logger } from '../../logging';
import type { ForwardingService } from '../forwarding/service';
import type { Overview, OverviewService } from '../overview/service';
import type { QuotaService } from '../quota/service';
import type { EmptyPreview } from '../quota/types';
import type { ScriptStore } from '../script/store';
import { vacationEtag } from '../vacation/service';

const SIGN_INS_SHOWN = 10;

/** One part of the user's active script, in order: what the app wrote, a rule, or another writer's Sieve. */
export interface ScriptPart {
  kind: 'head' | 'section' | 'rule' | 'custom' | 'tail';
  /** The section's or rule's name, or who seems to have written a custom block. */
  label: string | null;
  text: string;
}

export interface DeliveryScreen {
  overview: Overview;
  script: { name: string | null; parts: ScriptPart[] } | null;
  /** Forwarding in both places it can live; null when that place could not be read. */
  forwarding: { sieve: string[] | null; ldap: string[] | null };
  amavis: AmavisSettings | null;
  signIns: SignInEntry[];
  spamFolder: Pick<EmptyPreview, 'path' | 'messages' | 'bytes' | 'uidValidity' | 'uidNext'> | null;
  /** ETags the actions send back (If-Match), so they change only what this screen showed. */
  etags: { vacation: string | null; forwarding: string | null };
}

/** The helpdesk's read-only view of one user's delivery: what the overview shows, and more. */
export class DeliveryReader {
  constructor(
    private readonly deps: {
      overview: OverviewService;
      scripts: ScriptStore;
      forwarding: ForwardingService;
      quota: QuotaService;
      directory: Directory;
      activity: ActivityStore;
      logger: Logger;
    },
    private readonly scriptName: string,
  ) {}

  async read(account: Account, clientAddress: string): Promise<DeliveryScreen> {
    const [overview, state, ldapForwarding, amavis, signIns, spamFolder] = await Promise.all([
      this.deps.overview.get(account, clientAddress),
      this.deps.scripts.read(account.uid, { clientAddress }).catch(() => null),
      this.deps.directory.forwardingAddresses(account.dn).catch(() => null),
      this.deps.directory.amavisSettings(account.dn).catch(() => null),
      this.deps.activity.list(account.uid, 'sign-ins', SIGN_INS_SHOWN).catch(() => []),
      this.deps.quota.preview(account.uid, 'SPAM', clientAddress).catch(() => null),
    ]);
    const sieveForwarding = state ? this.deps.forwarding.sieveView(state) : null;
    return {
      overview,
      script: state && {
        name: state.foreignActive ?? (state.exists ? this.scriptName : null),
        parts: [
          { kind: 'head' as const, label: null, text: state.doc.head },
          ...state.doc.items.map((item): ScriptPart => {
            if (item.kind === 'section') return { kind: 'section', label: item.name, text: item.leading + item.text };
            if (item.kind === 'rule') return { kind: 'rule', label: item.rule.name, text: item.origin?.text ?? '' };
            return { kind: 'custom', label: item.writer ?? item.name ?? null, text: item.text };
          }),
          { kind: 'tail' as const, label: null, text: state.doc.tail },
        ].filter((p: ScriptPart) => p.text !== '' || p.kind === 'rule'),
      },
      forwarding: { sieve: sieveForwarding ? sieveForwarding.forwarding.addresses : null, ldap: ldapForwarding },
      amavis,
      signIns,
      spamFolder: spamFolder && { path: spamFolder.path, messages: spamFolder.messages, bytes: spamFolder.bytes, uidValidity: spamFolder.uidValidity, uidNext: spamFolder.uidNext },
      etags: { vacation: state ? vacationEtag(state) : null, forwarding: state ? (await this.deps.forwarding.fromState(account, state)).etag : null },
    };
  }
}
