import { request } from './client';

// The helpdesk's calls, apart from the settings client so they load with the helpdesk page
// only. Shapes follow api/src/features/helpdesk (types repeated here: those modules do I/O).

export type HelpdeskAction = 'vacation-off' | 'remove-forward' | 'empty-spam';

export interface HelpdeskMember {
  may: 'act' | 'look';
  actions: HelpdeskAction[];
}

export interface FoundUser {
  uid: string;
  displayName: string;
  mail: string;
  matchedAddress: string | null;
}

export interface ScriptPart {
  kind: 'head' | 'section' | 'rule' | 'custom' | 'tail';
  label: string | null;
  text: string;
}

export interface DeliveryScreen {
  user: { uid: string; displayName: string };
  screen: {
    overview: {
      addresses: Array<{ address: string; kind: 'login' | 'default' | 'alias' }>;
      quota: { percent: number | null } | null;
      vacation: { enabled: boolean; start: string | null; end: string | null } | null;
      forwarding: { addresses: string[]; keepCopy: boolean } | null;
      spam: { level: string; threshold: number | null } | null;
      filters: { rules: number; custom: number } | null;
      lists: Array<{ cn: string; mail: string | null }> | null;
      unavailable: string[];
    };
    script: { name: string | null; parts: ScriptPart[] } | null;
    forwarding: { sieve: string[] | null; ldap: string[] | null };
    amavis: { tag2Level: number | null; killLevel: number | null; whitelist: string[]; blacklist: string[] } | null;
    signIns: Array<{ at: number; outcome: string; method: string; clientAddress: string }>;
    spamFolder: { path: string; messages: number; bytes: number; uidValidity: string; uidNext: number } | null;
    etags: { vacation: string | null; forwarding: string | null };
  };
}

export interface ExplainedMessage {
  receivedAt: string;
  sender: string;
  from: string;
  subject: string;
  messageId: string;
  verdict: 'passed' | 'held' | 'dropped' | 'refused' | 'deferred';
  content: 'clean' | 'spam' | 'blocked' | 'virus' | 'banned' | 'bad-header' | 'other';
  score: number | null;
  tests: Array<{ name: string; score: number | null }> | null;
  detail: string | null;
  delivery:
    | { found: false }
    | { found: true; folder: string; rules: Array<{ name: string; actions: Array<{ type: string; target: string | null }> }>; spamFiled: boolean; spamFolder: string | null; forwardedTo: string[]; vacationOn: boolean; untested: boolean }
    | null;
}

export interface Explanation {
  messages: ExplainedMessage[];
  cannotShow: string[];
}

export interface TraceForm {
  since: string;
  until: string;
  sender: string;
  messageId: string;
}

export interface ReleaseRequestItem {
  id: string;
  recipient: string;
  receivedAt: string;
  sender: string;
  subject: string;
  reason: string;
  detail: string | null;
  size: number;
}

const user = (uid: string) => `api/helpdesk/users/${encodeURIComponent(uid)}`;
const query = (params: Record<string, string>) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();

export const helpdeskApi = {
  me: () => request<HelpdeskMember>('GET', 'api/helpdesk/me'),
  search: (q: string) => request<{ users: FoundUser[]; truncated: boolean }>('GET', `api/helpdesk/users?${query({ q })}`),
  delivery: (uid: string, reason: string) => request<DeliveryScreen>('GET', `${user(uid)}/delivery?${query({ reason })}`),
  explain: (uid: string, reason: string, form: TraceForm) => request<Explanation>('GET', `${user(uid)}/messages?${query({ reason, ...form })}`),
  act: (uid: string, action: HelpdeskAction, body: { reason: string; confirm: string; address?: string; spam?: { uidValidity: string; uidNext: number; expectedMessages: number } }, etag: string | null) =>
    request<void>('POST', `${user(uid)}/actions/${action}`, body, etag ? { headers: { 'If-Match': etag } } : {}),
  requests: () => request<{ items: ReleaseRequestItem[]; total: number }>('GET', 'api/quarantine-requests?pageSize=50'),
  decide: (id: string, decision: 'approve' | 'refuse', reason: string) => request<void>('POST', `api/quarantine-requests/${encodeURIComponent(id)}/decision`, { decision, reason }),
};
