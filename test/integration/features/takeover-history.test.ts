import { describe, expect, it } from 'vitest';
import { activeScript, allScripts, featureTestContext, putActiveScript, scriptNamed } from '../../support/feature';
import { deliverMessage, loadUser, makeMessage, waitForOutbox } from '../../support/stack';

// Taking over when the app's own script is already on the server, switched off because the
// user activated another script elsewhere: the take-over replaces the app's script with the
// active one, and the text it replaces must not be lost — it goes to the history, from where
// the user can restore it.

const USER = loadUser(87);
const ctx = featureTestContext(USER);

const OTHER = `require ["fileinto"];
# rule:[Reports]
if header :contains "subject" "report" { fileinto "INBOX"; }
`;

describe('take-over over an inactive app script', () => {
  it('keeps the replaced app script in the history, and restoring it brings the vacation reply back', async () => {
    const { api, server } = ctx;
    const config = server.services.config;
    const vacation = await api.request('GET', '/api/vacation');
    const saved = await api.request('PUT', '/api/vacation', {
      json: { ...(vacation.body.vacation as object), enabled: true, start: null, end: null, subject: 'Away at a conference', message: 'Back on Monday.' },
      headers: { 'if-match': String(vacation.body.etag) },
    });
    expect(saved.status).toBe(200);
    const appScript = await activeScript(config, USER.uid);
    expect(appScript).toContain('vacation');

    // Another program makes its own script the active one; the app's stays, inactive.
    await putActiveScript(config, USER.uid, 'other', OTHER);
    const took = await api.request('POST', '/api/script/take-over', { json: {} });
    expect(took.status).toBe(200);
    expect(took.body).toEqual({ active: 'emailng', previousKept: true });
    expect(await activeScript(config, USER.uid)).toBe(OTHER);
    expect((await allScripts(config, USER.uid)).texts.other).toBe(OTHER);

    const history = await api.request('GET', '/api/script/history');
    const newest = (history.body as unknown as Array<{ id: string; summary: string }>)[0]!;
    expect(newest.summary).toBe('replaced by taking over script "other"');
    expect((await api.request('GET', `/api/script/history/${newest.id}`)).body.text).toBe(appScript);

    const raw = await api.request('GET', '/api/script/raw');
    const restored = await api.request('POST', `/api/script/history/${newest.id}/restore`, { json: {}, headers: { 'if-match': String(raw.body.etag) } });
    expect(restored.status).toBe(200);
    expect(await scriptNamed(config, USER.uid, 'emailng')).toBe(appScript);

    // On real mail: the restored script answers with the vacation reply again.
    const sender = `colleague-${Date.now()}@uni.example`;
    await deliverMessage({ to: USER.uid, from: sender, raw: makeMessage({ from: sender, to: USER.mail, subject: 'Meeting' }) });
    const reply = await waitForOutbox((m) => m.recipients.includes(sender));
    expect(reply.raw).toContain('Away at a conference');
  });

  it('says nothing was kept when the app had no script of its own before', async () => {
    const { api, server } = ctx;
    await putActiveScript(server.services.config, USER.uid, 'other', OTHER);
    const took = await api.request('POST', '/api/script/take-over', { json: {} });
    expect(took.body).toEqual({ active: 'emailng', previousKept: false });
    expect((await api.request('GET', '/api/script/history')).body).toEqual([]);
  });
});
