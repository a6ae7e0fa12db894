import { Client } from 'ldapts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Directory } from '../../../api/src/backends/ldap/directory';
import { SpamService } from '../../../api/src/features/spam/service';
import { activeScript, allScripts, featureTestContext } from '../../support/feature';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, deliverMessage, loadUser, mailboxMessages, makeMessage, resetUser, userDn } from '../../support/stack';

// Users of this file only: others test on the same stack at the same time.
const USER = loadUser(62);

const ctx = featureTestContext(USER);

interface SpamBody {
  level: 'off' | 'lenient' | 'standard' | 'strict' | 'custom';
  threshold: number | null;
  folder: 'SPAM' | 'Junk';
  discardAbove: number | null;
  allow: string[];
  block: string[];
  blockAction: 'discard' | 'folder';
}
interface SpamView {
  etag: string;
  spam: SpamBody;
  effectiveThreshold: number | null;
}

const standard: SpamBody = { level: 'standard', threshold: null, folder: 'SPAM', discardAbove: null, allow: [], block: [], blockAction: 'discard' };

async function view(): Promise<SpamView> {
  const res = await ctx.api.request('GET', '/api/spam');
  expect(res.status).toBe(200);
  return res.body as unknown as SpamView;
}

async function save(body: Partial<SpamBody>) {
  return ctx.api.request('PUT', '/api/spam', { json: { ...standard, ...body }, headers: { 'if-match': (await view()).etag } });
}

let counter = 0;
/** Delivers a message with a unique subject and says which folder it landed in (or none). */
async function landing(headers: Record<string, string>, from = 'someone@example.org'): Promise<string> {
  counter += 1;
  const subject = `spam-test ${process.pid} ${Date.now()} ${counter}`;
  const envelope = /<([^>]+)>/.exec(from)?.[1] ?? from; // From may carry a display name
  await deliverMessage({ to: USER.uid, from: envelope, raw: makeMessage({ from, to: USER.mail, subject, headers }) });
  for (const folder of ['INBOX', 'SPAM', 'Junk']) {
    if ((await mailboxMessages(USER.uid, folder)).some((m) => m.includes(subject))) return folder;
  }
  return 'nowhere';
}

const score = (value: number | string) => ({ 'X-Spam-Score': String(value) });

describe('spam threshold on real delivery', () => {
  it('is Standard for a user without a script: the site files what amavisd-new tagged', async () => {
    expect((await view()).spam.level).toBe('standard');
    expect(await landing({ 'X-Spam-Flag': 'YES', ...score(7.1) })).toBe('SPAM');
    expect(await landing(score(7.1))).toBe('INBOX');
  });

  it('files at and above each preset’s real boundary, and not just below it', async () => {
    for (const level of ['strict', 'lenient'] as const) {
      expect((await save({ level })).status).toBe(200);
      const boundary = (await view()).effectiveThreshold!;
      expect(boundary).toBeGreaterThan(0);
      expect(await landing(score((boundary - 0.05).toFixed(2))), `${level} below ${boundary}`).toBe('INBOX');
      expect(await landing(score(boundary.toFixed(2))), `${level} at ${boundary}`).toBe('SPAM');
      expect(await landing(score((boundary + 0.3).toFixed(2))), `${level} above ${boundary}`).toBe('SPAM');
    }
  });

  it('handles a custom decimal threshold, negative and decimal scores, and the Junk folder', async () => {
    expect((await save({ level: 'custom', threshold: 6.31, folder: 'Junk' })).status).toBe(200);
    const boundary = (await view()).effectiveThreshold!;
    expect(boundary).toBeLessThanOrEqual(6.31);
    expect(await landing(score((boundary - 0.05).toFixed(2)))).toBe('INBOX');
    expect(await landing(score(boundary.toFixed(2)))).toBe('Junk');
    expect(await landing(score(6.31))).toBe('Junk');
    expect(await landing(score(-3.5))).toBe('INBOX');
    expect(await landing(score('0.0'))).toBe('INBOX');
    expect(await landing({})).toBe('INBOX');
  });

  it('lets allow-listed senders and domains through whatever their score', async () => {
    await save({ level: 'strict', allow: ['friend@example.org', 'partner.example'] });
    expect(await landing(score(15), 'friend@example.org')).toBe('INBOX');
    expect(await landing(score(15), 'anyone@partner.example')).toBe('INBOX');
    expect(await landing(score(15), 'stranger@example.org')).toBe('SPAM');
  });

  it('covers a domain’s subdomains only when the entry starts with a dot, for both lists', async () => {
    const saved = await save({ level: 'strict', allow: ['.partner.example', 'exact.example'], block: ['.junkmail.example'], blockAction: 'discard' });
    expect(saved.status, saved.text).toBe(200);
    expect(await landing(score(15), 'Anyone <anyone@partner.example>')).toBe('INBOX');
    expect(await landing(score(15), '"Mail Robot" <robot@Mail.EU.Partner.Example>')).toBe('INBOX');
    expect(await landing(score(15), 'someone@evilpartner.example')).toBe('SPAM'); // not a subdomain
    expect(await landing(score(15), 'someone@partner.example.evil.org')).toBe('SPAM');
    expect(await landing(score(15), 'someone@exact.example')).toBe('INBOX');
    expect(await landing(score(15), 'someone@sub.exact.example')).toBe('SPAM'); // no dot: this domain only
    expect(await landing({}, 'x@junkmail.example')).toBe('nowhere');
    expect(await landing({}, 'x@a.b.junkmail.example')).toBe('nowhere');
    expect(await landing({}, 'x@notjunkmail.example')).toBe('INBOX');
    expect((await view()).spam).toMatchObject({ allow: ['.partner.example', 'exact.example'], block: ['.junkmail.example'] });
  });

  it('stops blocked senders: deleted, or filed when the user chose so', async () => {
    await save({ block: ['pest@example.com', 'junkmail.example'] });
    expect(await landing({}, 'pest@example.com')).toBe('nowhere');
    expect(await landing({}, 'x@junkmail.example')).toBe('nowhere');
    expect(await landing({}, 'fine@example.com')).toBe('INBOX');
    await save({ block: ['pest@example.com'], blockAction: 'folder', folder: 'Junk' });
    expect(await landing({}, 'pest@example.com')).toBe('Junk');
  });

  it('discards above the second score, files between the two', async () => {
    await save({ level: 'custom', threshold: 5, discardAbove: 12 });
    expect(await landing(score(13))).toBe('nowhere');
    expect(await landing(score(11))).toBe('SPAM');
    expect(await landing(score(2))).toBe('INBOX');
  });

  it('off: even tagged mail stays in the INBOX, and the choice is kept', async () => {
    await save({ level: 'off' });
    expect((await view()).spam.level).toBe('off');
    expect(await landing({ 'X-Spam-Flag': 'YES', ...score(9) })).toBe('INBOX');
  });
});

describe('spam (bad input changes nothing)', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, string>]> = [
    ['a threshold that is not a number', { level: 'custom', threshold: 'high' }, { threshold: 'not_a_number' }],
    ['a custom level without a threshold', { level: 'custom', threshold: null }, { threshold: 'required' }],
    ['a threshold at the quarantine score', { level: 'custom', threshold: 20 }, { threshold: 'out_of_range' }],
    ['a negative threshold', { level: 'custom', threshold: -1 }, { threshold: 'out_of_range' }],
    ['discard below the threshold', { level: 'strict', discardAbove: 3 }, { discardAbove: 'discard_below_threshold' }],
    ['an allow entry that is neither address nor domain', { allow: ['not an address'] }, { 'allow.0': 'not_address_or_domain' }],
    ['a Sieve injection in the block list', { block: ['x@y.org"; discard; #'] }, { 'block.0': 'not_address_or_domain' }],
    ['a duplicate entry', { allow: ['a@b.org', 'A@B.org'] }, { 'allow.1': 'duplicate' }],
    ['a subdomain entry with a wildcard', { allow: ['*.example.org'] }, { 'allow.0': 'not_address_or_domain' }],
    ['a subdomain entry with two dots', { block: ['..example.org'] }, { 'block.0': 'not_address_or_domain' }],
    ['too many entries', { block: Array.from({ length: 101 }, (_, i) => `s${i}@example.org`) }, { block: 'too_many' }],
    ['an unknown folder', { folder: 'INBOX' }, { folder: 'invalid' }],
    // spamtest :percent 0 is what a score of 0 and unscanned mail get: such a rule files everything.
    ['a threshold that rounds to level 0', { level: 'custom', threshold: 0.1 }, { threshold: 'below_scale' }],
    ['a threshold just below the lowest level', { level: 'custom', threshold: 0.199 }, { threshold: 'below_scale' }],
    ['a threshold far below the lowest level', { level: 'custom', threshold: 1e-9 }, { threshold: 'below_scale' }],
  ];

  it.each(cases)('%s', async (_name, change, fields) => {
    await save({ level: 'strict', allow: ['keep@example.org'] });
    const before = await view();
    const script = await ctx.script();
    const res = await ctx.api.request('PUT', '/api/spam', { json: { ...standard, ...change }, headers: { 'if-match': before.etag } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toMatchObject(fields);
    expect((await view()).etag).toBe(before.etag);
    expect(await ctx.script()).toBe(script);
  });

  it('files from the lowest level the scale has, and never unscanned or zero-score mail', async () => {
    const lowest = ((await view()) as SpamView & { lowestThreshold: number }).lowestThreshold;
    expect(lowest).toBe(0.2);
    const saved = await save({ level: 'custom', threshold: lowest });
    expect(saved.status, saved.text).toBe(200);
    expect(await landing({})).toBe('INBOX');
    expect(await landing(score('0.0'))).toBe('INBOX');
    expect(await landing(score(-1))).toBe('INBOX');
    expect(await landing(score(0.19))).toBe('INBOX');
    expect(await landing(score(0.2))).toBe('SPAM');
    expect(await landing({ 'X-Spam-Flag': 'YES', ...score(7) })).toBe('SPAM');
  });

  it('answers a stale save with 409 and the current state', async () => {
    const stale = (await view()).etag;
    await save({ level: 'strict' });
    const res = await ctx.api.request('PUT', '/api/spam', { json: { ...standard, level: 'lenient' }, headers: { 'if-match': stale } });
    expect(res.status).toBe(409);
    expect((res.body.current as SpamView).spam.level).toBe('strict');
  });
});

describe('spam levels and lists also written for the relays (amavis attributes in LDAP)', () => {
  const LDAP_USER = loadUser(63);
  let amavisServer: TestServer;
  let client: ApiClient;
  const admin = new Client({ url: LDAP.url });

  async function attributes(): Promise<Record<string, string[]>> {
    const { searchEntries } = await admin.search(userDn(LDAP_USER.uid), {
      scope: 'base',
      attributes: ['amavisSpamTag2Level', 'amavisSpamKillLevel', 'amavisWhitelistSender', 'amavisBlacklistSender'],
    });
    const entry = searchEntries[0] ?? {};
    const out: Record<string, string[]> = {};
    for (const name of ['amavisSpamTag2Level', 'amavisSpamKillLevel', 'amavisWhitelistSender', 'amavisBlacklistSender']) {
      const v = (entry as Record<string, unknown>)[name];
      out[name] = v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String).sort();
    }
    return out;
  }

  async function put(body: Partial<SpamBody>, etag?: string) {
    const current = etag ?? ((await client.request('GET', '/api/spam')).body.etag as string);
    return client.request('PUT', '/api/spam', { json: { ...standard, ...body }, headers: { 'if-match': current } });
  }

  beforeAll(async () => {
    amavisServer = await startTestServer((c) => ({ ...c, spam: { ...c.spam, amavisLdap: true } }));
    await admin.bind(LDAP.admin.dn, LDAP.admin.password);
  });
  afterAll(async () => {
    await client.request('PUT', '/api/spam', { json: standard, headers: { 'if-match': ((await client.request('GET', '/api/spam')).body.etag as string) } });
    await amavisServer.close();
    await admin.unbind();
  });
  beforeEach(async () => {
    await resetUser(LDAP_USER.uid);
    client = new ApiClient(amavisServer.url);
    await client.signIn(LDAP_USER.uid, LDAP_USER.password);
  });

  it('writes the filing score, the discard score and the lists, domains as @domain', async () => {
    expect((await put({ level: 'custom', threshold: 5.5, discardAbove: 12, allow: ['friend@example.org', 'partner.example'], block: ['pest@example.com'] })).status).toBe(200);
    expect(await attributes()).toEqual({
      amavisSpamTag2Level: ['5.5'],
      amavisSpamKillLevel: ['12'],
      amavisWhitelistSender: ['@partner.example', 'friend@example.org'],
      amavisBlacklistSender: ['pest@example.com'],
    });
    expect((await put({ level: 'standard' })).status).toBe(200);
    expect(await attributes()).toEqual({ amavisSpamTag2Level: [], amavisSpamKillLevel: [], amavisWhitelistSender: [], amavisBlacklistSender: [] });
  });

  it('saves racing from the same version: exactly one wins, and LDAP holds the winner’s values', async () => {
    expect((await put({ level: 'strict' })).status).toBe(200);
    const etag = (await client.request('GET', '/api/spam')).body.etag as string;
    // Six tabs of the same user, each saving its own custom threshold from the version all saw.
    const thresholds = [5.1, 5.2, 5.3, 5.4, 5.5, 5.6];
    const tabs = await Promise.all(
      thresholds.map(async () => {
        const tab = new ApiClient(amavisServer.url);
        await tab.signIn(LDAP_USER.uid, LDAP_USER.password);
        return tab;
      }),
    );
    const results = await Promise.all(
      tabs.map((tab, i) =>
        tab.request('PUT', '/api/spam', { json: { ...standard, level: 'custom', threshold: thresholds[i], allow: [`tab${i}@example.org`] }, headers: { 'if-match': etag } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = results.findIndex((r) => r.status === 200);
    const now = (await client.request('GET', '/api/spam')).body as unknown as SpamView;
    expect(now.spam).toMatchObject({ level: 'custom', threshold: thresholds[winner], allow: [`tab${winner}@example.org`] });
    expect(await attributes()).toEqual({
      amavisSpamTag2Level: [String(thresholds[winner])],
      amavisSpamKillLevel: [],
      amavisWhitelistSender: [`tab${winner}@example.org`],
      amavisBlacklistSender: [],
    });
  });

  it('puts the script back, byte for byte, when LDAP refuses the write after it', async () => {
    const account = (await amavisServer.services.directory.getAccount(LDAP_USER.uid))!;
    const refusing = Object.create(amavisServer.services.directory) as Directory;
    refusing.writeAmavisSettings = () => Promise.reject(new Error('LDAP went away'));
    const service = new SpamService(amavisServer.services.scripts, amavisServer.services.config.spam, refusing);
    const body = { ...standard, level: 'custom' as const, threshold: 5.5, allow: ['new@example.org'] };

    // No script yet: afterwards there is still none, so the site default keeps filing.
    const fresh = (await client.request('GET', '/api/spam')).body.etag as string;
    await expect(service.save(account, body, fresh, '127.0.0.1')).rejects.toMatchObject({ code: 'directory_unavailable' });
    expect(await allScripts(amavisServer.services.config, LDAP_USER.uid)).toEqual({ active: null, texts: {} });

    expect((await put({ level: 'strict', allow: ['keep@example.org'] })).status).toBe(200);
    const script = await activeScript(amavisServer.services.config, LDAP_USER.uid);
    const ldap = await attributes();
    const etag = (await client.request('GET', '/api/spam')).body.etag as string;
    await expect(service.save(account, body, etag, '127.0.0.1')).rejects.toMatchObject({ code: 'directory_unavailable' });
    expect(await activeScript(amavisServer.services.config, LDAP_USER.uid)).toBe(script);
    expect(await attributes()).toEqual(ldap);
    expect(((await client.request('GET', '/api/spam')).body as unknown as SpamView).etag).toBe(etag);
  });

  it('leaves the LDAP values as they were when the script cannot be saved', async () => {
    await put({ level: 'strict', allow: ['keep@example.org'] });
    const before = await attributes();
    const stale = await put({ level: 'lenient', allow: [] }, '"stale"');
    expect(stale.status).toBe(409);
    expect(await attributes()).toEqual(before);
  });
});
