import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../api/src/app';
import { newSessionHandle } from '../../../api/src/auth/session-store';
import { ImapError } from '../../../api/src/backends/imap/errors';
import type { Account } from '../../../api/src/backends/ldap/directory';
import { DirectoryError } from '../../../api/src/backends/ldap/errors';
import { ManageSieveError } from '../../../api/src/backends/managesieve';
import { QuarantineError } from '../../../api/src/backends/quarantine';
import { loadConfig } from '../../../api/src/config/load';
import { createLogger } from '../../../api/src/logging';
import { closeServices, createServices, type Services } from '../../../api/src/services';

/*
 * The HTTP layer on its own, through app.request() (no socket, no back end): who may call a
 * route, and how each typed back-end error becomes its answer. Each test hands createApp the
 * real services with one of them replaced — the reason every service is built in one place.
 */

const UID = 'load114';
const ACCOUNT: Account = {
  dn: `uid=${UID},ou=people,dc=cs,dc=ucy,dc=ac,dc=cy`,
  uid: UID,
  displayName: 'Σίσυφος Ῥόδιος',
  mail: `${UID}@cs.ucy.ac.cy`,
  alternateAddresses: [],
  givenName: 'Σίσυφος',
  sn: 'Ῥόδιος',
};

let services: Services;
let cookie: string;
/** No SPA is served in these tests; an empty folder stands for the build. */
const staticDir = mkdtempSync(join(tmpdir(), 'emailng-plumbing-'));

beforeAll(async () => {
  const config = loadConfig('deploy/config/local.yaml', {});
  services = createServices({ ...config, redis: null, server: { ...config.server, staticDir } }, createLogger('silent'), { processMetrics: false });
  const session = services.sessions.create(UID, ACCOUNT.dn);
  await services.sessionStore.create(
    session.sid,
    { handle: newSessionHandle(), uid: UID, method: 'password', createdAt: session.authTime, lastSeen: session.lastSeen, clientAddress: '192.0.2.1', userAgent: 'test' },
    600,
  );
  cookie = `${config.session.cookieName}=${await services.sessions.seal(session)}`;
});

afterAll(async () => {
  await closeServices(services);
  rmSync(staticDir, { recursive: true, force: true });
});

/** The app over the real services, with some replaced. */
function appWith(replaced: Partial<Services>) {
  return createApp({ ...services, ...replaced });
}

async function get(app: ReturnType<typeof createApp>, path: string, signedIn = true) {
  const response = await app.request(path, { headers: signedIn ? { cookie } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A quota service whose report is `report`; nothing else of it is reached by GET /api/quota. */
function quotaAnswering(report: (uid: string) => Promise<unknown>): Services['quota'] {
  return { report } as unknown as Services['quota'];
}

/** A directory that answers getAccount with `answer` (signedInAccount reads only that). */
function directoryAnswering(answer: () => Promise<Account | null>): Services['directory'] {
  return Object.assign(Object.create(services.directory) as Services['directory'], { getAccount: answer });
}

describe('who may call a route', () => {
  it('answers 401 unauthenticated without a session, and never reaches the service', async () => {
    const asked: string[] = [];
    const app = appWith({ quota: quotaAnswering(async (uid) => asked.push(uid)) });
    const { status, body } = await get(app, '/api/quota', false);
    expect(status).toBe(401);
    expect(body).toMatchObject({ code: 'unauthenticated' });
    expect(asked).toEqual([]);
  });

  it('refuses a forged cookie the same way', async () => {
    const app = appWith({});
    const response = await app.request('/api/lists', { headers: { cookie: `${services.config.session.cookieName}=e30.e30.e30.e30.e30` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('hands the service the signed-in user', async () => {
    const app = appWith({
      quota: quotaAnswering(async (uid) => ({ storage: null, messages: null, percent: null, warningLevel: 0, full: false, folders: [], folderSizes: 'fetch', uid })),
    });
    const { status, body } = await get(app, '/api/quota');
    expect(status).toBe(200);
    expect(body).toMatchObject({ uid: UID });
  });

  it('reads the account for routes that need it, and hands it over as the directory gave it', async () => {
    const seen: Account[] = [];
    const app = appWith({
      directory: directoryAnswering(async () => ACCOUNT),
      vacation: { get: async (account: Account) => (seen.push(account), { enabled: false }) } as unknown as Services['vacation'],
    });
    expect((await get(app, '/api/vacation')).status).toBe(200);
    expect(seen).toEqual([ACCOUNT]);
  });

  it('answers 401 when the account is gone from the directory', async () => {
    const app = appWith({ directory: directoryAnswering(async () => null) });
    expect(await get(app, '/api/vacation')).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
  });

  it('answers 503 directory_unavailable when the directory cannot say', async () => {
    const app = appWith({
      directory: directoryAnswering(async () => {
        throw new DirectoryError('UNAVAILABLE', 'connect ECONNREFUSED');
      }),
    });
    expect(await get(app, '/api/overview')).toMatchObject({ status: 503, body: { code: 'directory_unavailable' } });
  });
});

describe('the one error mapper', () => {
  const failing = (error: unknown) => appWith({ quota: quotaAnswering(async () => Promise.reject(error)) });

  it.each([
    ['IMAP not answering', new ImapError('UNAVAILABLE', 'IMAP unavailable: ECONNREFUSED'), 503, 'mail_unavailable'],
    ['ManageSieve not answering', new ManageSieveError('ALL_ENDPOINTS_FAILED', 'no director answered'), 503, 'mail_unavailable'],
    ['the directory not answering', new DirectoryError('UNAVAILABLE', 'timeout'), 503, 'directory_unavailable'],
    ['the directory failing oddly', new DirectoryError('FAILED', 'LDAP result 80', 80), 503, 'directory_unavailable'],
    ['the quarantine database down', new QuarantineError('UNAVAILABLE', 'ECONNREFUSED'), 503, 'quarantine_unavailable'],
    ['an IMAP command refused (a defect if it gets here)', new ImapError('COMMAND_FAILED', 'NO'), 500, 'internal'],
    ['anything else', new TypeError('x is undefined'), 500, 'internal'],
  ])('%s → %s %s', async (_what, error, status, code) => {
    const { status: got, body } = await get(failing(error), '/api/quota');
    expect(got).toBe(status);
    expect(body).toMatchObject({ code });
    expect(typeof body.requestId).toBe('string');
  });

  it('never tells the client what went wrong inside', async () => {
    const { body } = await get(failing(new Error('password=hunter2 at /etc/secret')), '/api/quota');
    expect(JSON.stringify(body)).not.toMatch(/hunter2|secret/);
  });
});
