import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManageSieveClient } from '../../../../api/src/backends/managesieve';
import { SieveSessions, sieveConnectOptions } from '../../../../api/src/backends/sieve-sessions';
import { loadConfig, type AppConfig } from '../../../../api/src/config/load';
import { ScriptStore, etagOf, sectionText, type ScriptState, type ScriptUpdate } from '../../../../api/src/features/script/store';
import { ApiError } from '../../../../api/src/http/errors';
import { createLogger } from '../../../../api/src/logging';
import { assembleDocument, type ScriptSettings } from '../../../../api/src/sieve';
import { startManageSieveServer, type ManageSieveServer } from '../../../support/managesieve-server';

const UID = 'load104';
const MASTER = { name: 'emailng-api', password: 'master-secret' };

/** Sieve the app did not write: a Roundcube rule and hand-written lines with Greek in every
 *  form (NFC, NFD, final sigma, tonos), an emoji and a right-to-left override, so literal
 *  lengths are counted in octets, not characters, and nothing is normalised on the way. */
const HAND_WRITTEN = [
  'require ["fileinto"];',
  '# rule:[Λογαριασμοί]',
  'if header :contains "subject" "λογαριασμός" { fileinto "Λογαριασμοί"; }',
  `# ${'Ά'.normalize('NFD')} vs Ά, ς vs σ, 🎓, \u202Eevil\u202C`,
  'if header :is "X-Tag" "ΤΕΛΟΣ" { keep; }',
  '',
].join('\r\n');

let server: ManageSieveServer;
let config: AppConfig;
let sessions: SieveSessions;
let store: ScriptStore;

beforeEach(async () => {
  server = await startManageSieveServer({ master: MASTER, maxRedirects: 4 });
  const local = loadConfig('deploy/config/local.yaml', {});
  config = {
    ...local,
    directors: [{ name: 'fake', host: server.host, imapPort: 1, sievePort: server.port }],
    masterUser: MASTER,
    mailTransport: { ...local.mailTransport, tls: 'none' },
  };
  sessions = new SieveSessions(config);
  store = new ScriptStore(sessions, config.sieve, createLogger('silent'));
});

afterEach(async () => {
  await sessions.close();
  await server.close();
});

const stored = () => server.account(UID);
const scriptText = () => stored().scripts.get('emailng');
const verbs = () => server.requests.map((r) => r.verb);

function seed(text: string, active = true): void {
  stored().scripts.set('emailng', text);
  if (active) stored().active = 'emailng';
}

/** An update as a settings page makes one: its ETag over the whole text, its settings applied. */
function settingsUpdate(ifMatch: string | undefined, settings: ScriptSettings): ScriptUpdate<string> {
  return {
    ifMatch,
    etagOf: (s) => etagOf(s.text),
    describe: (s) => s.text,
    change: (s) => assembleDocument(s.doc, settings, s.options),
    audit: 'test change',
  };
}

const forwardTo = (address: string): ScriptSettings => ({ forwarding: { addresses: [address], keepCopy: true } });

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('reading the user’s script', () => {
  it('sees no script as empty, with the server’s capabilities and redirect limit', async () => {
    const state = await store.read(UID);
    expect(state).toMatchObject({ text: '', exists: false, active: false, foreignActive: null });
    expect(state.options.capabilities).toContain('vacation');
    expect(state.options.maxRedirects).toBe(4);
    expect(verbs()).toEqual(['AUTHENTICATE', 'CAPABILITY', 'LISTSCRIPTS']);
  });

  it('reads the stored text byte for byte and knows when another script is the active one', async () => {
    seed(HAND_WRITTEN, false);
    stored().scripts.set('roundcube', 'keep;\r\n');
    stored().active = 'roundcube';
    const state = await store.read(UID);
    expect(state.text).toBe(HAND_WRITTEN);
    expect(state).toMatchObject({ exists: true, active: false, foreignActive: 'roundcube' });
    expect(state.doc.items.some((i) => i.kind === 'rule')).toBe(true);
  });

  it('refuses a script its parser cannot read with a typed error naming the line', async () => {
    seed('require "fileinto";\r\nif true {\r\n');
    const error = await rejection(store.read(UID));
    expect(error.code).toBe('script_rejected');
    expect(error.message).toMatch(/line \d+/);
  });
});

describe('writing through ScriptStore.update', () => {
  it('assembles its section around Sieve it did not write, keeps that byte for byte, and activates the script', async () => {
    seed(HAND_WRITTEN, false);
    const before = await store.read(UID);
    const written = await store.update(UID, settingsUpdate(etagOf(before.text), forwardTo('andreas@example.org')));
    expect(scriptText()).toBe(written.text);
    expect(stored().active).toBe('emailng');
    expect(written.text).toContain('# emailng:begin forwarding');
    expect(written.text).toContain('redirect :copy');
    // Everything after the app's require line is the user's, in order and unchanged.
    for (const line of HAND_WRITTEN.split('\r\n').slice(1)) expect(written.text).toContain(line);
    expect(written.text.indexOf('# rule:[Λογαριασμοί]')).toBeGreaterThan(written.text.indexOf('# emailng:end forwarding'));
    expect((await store.read(UID)).text).toBe(written.text);
  });

  it('keeps the replaced text in the history, exactly, newest first', async () => {
    seed(HAND_WRITTEN);
    const first = await store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org')));
    const second = await store.update(UID, settingsUpdate(etagOf(first.text), forwardTo('two@example.org')));
    const history = await store.history(UID);
    expect(history.map((h) => h.text)).toEqual([first.text, HAND_WRITTEN]);
    expect(history[0]?.summary).toBe('test change');
    expect(scriptText()).toBe(second.text);
    expect(stored().scripts.has('emailng.history')).toBe(true);
    expect(stored().active).toBe('emailng');
  });

  it('writes nothing and keeps no history when the change changes nothing', async () => {
    seed(HAND_WRITTEN);
    const first = await store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org')));
    const putsBefore = verbs().filter((v) => v === 'PUTSCRIPT').length;
    const again = await store.update(UID, settingsUpdate(etagOf(first.text), forwardTo('one@example.org')));
    expect(again.text).toBe(first.text);
    expect(verbs().filter((v) => v === 'PUTSCRIPT').length).toBe(putsBefore);
    expect((await store.history(UID)).map((h) => h.text)).toEqual([HAND_WRITTEN]);
  });

  it('refuses a save without If-Match before talking to the server', async () => {
    const error = await rejection(store.update(UID, settingsUpdate(undefined, forwardTo('one@example.org'))));
    expect(error.code).toBe('precondition_required');
    expect(server.connections).toBe(0);
  });

  it('refuses to write while another script is active, and writes nothing', async () => {
    seed(HAND_WRITTEN, false);
    stored().scripts.set('roundcube', 'keep;\r\n');
    stored().active = 'roundcube';
    const error = await rejection(store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org'))));
    expect(error.code).toBe('foreign_script_active');
    expect(scriptText()).toBe(HAND_WRITTEN);
    expect(stored().active).toBe('roundcube');
    expect(verbs()).not.toContain('PUTSCRIPT');
  });
});

describe('the ETag', () => {
  const vacationEtag = (s: ScriptState) => etagOf('vacation', sectionText(s, 'vacation'));
  const wholeEtag = (s: ScriptState) => etagOf(s.text);

  it('is the same on every read of the same content', async () => {
    seed(HAND_WRITTEN);
    const a = await store.read(UID);
    const b = await store.read(UID);
    expect(wholeEtag(a)).toBe(wholeEtag(b));
  });

  it('changes when a single byte changes, even one only Unicode normalisation tells apart', async () => {
    seed(HAND_WRITTEN);
    const before = wholeEtag(await store.read(UID));
    seed(HAND_WRITTEN.replace('vs Ά,', `vs ${'Ά'.normalize('NFD')},`));
    expect(scriptText()).not.toBe(HAND_WRITTEN);
    expect(wholeEtag(await store.read(UID))).not.toBe(before);
  });

  it('of one section stays when only another part of the script changes', async () => {
    seed(HAND_WRITTEN);
    const first = await store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org')));
    const second = await store.update(UID, settingsUpdate(etagOf(first.text), forwardTo('two@example.org')));
    expect(wholeEtag(second)).not.toBe(wholeEtag(first));
    expect(vacationEtag(second)).toBe(vacationEtag(first));
  });
});

describe('when the server refuses the script', () => {
  it('turns a NO with a response code into a typed error and leaves script, activation and history as they were', async () => {
    seed(HAND_WRITTEN, false);
    server.fault('PUTSCRIPT', { kind: 'answer', line: 'NO (QUOTA/MAXSIZE) "Script is too large."' });
    const error = await rejection(store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org'))));
    expect(error.code).toBe('script_rejected');
    expect(error.status).toBeLessThan(500);
    expect(error.extra.serverText).toBe('Script is too large.');
    expect(scriptText()).toBe(HAND_WRITTEN);
    expect(stored().active).toBeNull();
    expect(stored().scripts.has('emailng.history')).toBe(false);
    expect(verbs()).not.toContain('SETACTIVE');
  });

  it('hands on the server’s problems per line, without the script’s name', async () => {
    seed(HAND_WRITTEN);
    const problems = "emailng: line 3: error: unknown command 'foo'.\r\nerror: validation failed.";
    server.fault('PUTSCRIPT', { kind: 'answer', line: `NO {${Buffer.byteLength(problems)}}\r\n${problems}` });
    const error = await rejection(store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org'))));
    expect(error.code).toBe('script_rejected');
    expect(error.extra.errors).toEqual([{ line: 3, message: "unknown command 'foo'." }]);
    expect(scriptText()).toBe(HAND_WRITTEN);
  });

  it('answers a raw text over the size limit with payload_too_large from HAVESPACE, before any PUTSCRIPT', async () => {
    await sessions.close();
    await server.close();
    server = await startManageSieveServer({ master: MASTER, maxScriptSize: 64 });
    config = { ...config, directors: [{ name: 'fake', host: server.host, imapPort: 1, sievePort: server.port }] };
    sessions = new SieveSessions(config);
    store = new ScriptStore(sessions, config.sieve, createLogger('silent'));
    seed('keep;\r\n');
    const text = `# ${'σ'.repeat(40)}\r\nkeep;\r\n`;
    const error = await rejection(
      store.replaceText(UID, { ifMatch: etagOf('keep;\r\n'), etagOf: (s) => etagOf(s.text), describe: (s) => s.text, text, audit: 'raw' }),
    );
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain(`${Buffer.byteLength(text)} bytes`);
    expect(verbs()).not.toContain('PUTSCRIPT');
    expect(scriptText()).toBe('keep;\r\n');
  });
});

describe('when the connection drops in the middle of a write', () => {
  it('keeps the previous script intact and answers mail_unavailable when the retry drops too', async () => {
    seed(HAND_WRITTEN);
    server.fault('PUTSCRIPT', { kind: 'drop-mid-literal' }, 2);
    const error = await rejection(store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org'))));
    expect(error.code).toBe('mail_unavailable');
    expect(error.status).toBe(503);
    expect(scriptText()).toBe(HAND_WRITTEN);
    expect(stored().active).toBe('emailng');
    expect(stored().scripts.has('emailng.history')).toBe(false);
    expect(server.connections).toBe(2);
  });

  it('saves once on a fresh connection when only the first attempt drops', async () => {
    seed(HAND_WRITTEN);
    server.fault('PUTSCRIPT', { kind: 'drop-mid-literal' });
    const written = await store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org')));
    expect(scriptText()).toBe(written.text);
    expect(server.connections).toBe(2);
    expect((await store.history(UID)).map((h) => h.text)).toEqual([HAND_WRITTEN]);
  });

  it('counts a write whose OK was lost as done, not as a conflict with itself', async () => {
    seed(HAND_WRITTEN);
    server.fault('PUTSCRIPT', { kind: 'drop-after' });
    const written = await store.update(UID, settingsUpdate(etagOf(HAND_WRITTEN), forwardTo('one@example.org')));
    expect(scriptText()).toBe(written.text);
    expect(written.text).toContain('one@example.org');
    expect(server.connections).toBe(2);
    // The first attempt's PUTSCRIPT landed: the text it replaced is still owed to the history.
    expect((await store.history(UID)).map((h) => h.text)).toEqual([HAND_WRITTEN]);
  });

  it('keeps the replaced text in the history when a raw save’s OK was lost and the retry finds it stored', async () => {
    seed(HAND_WRITTEN);
    server.fault('PUTSCRIPT', { kind: 'drop-after' });
    const text = `${HAND_WRITTEN}# one more line, Ωω\r\n`;
    const written = await store.replaceText(UID, { ifMatch: etagOf(HAND_WRITTEN), etagOf: (s) => etagOf(s.text), describe: (s) => s.text, text, audit: 'raw' });
    expect(written.text).toBe(text);
    expect(scriptText()).toBe(text);
    expect((await store.history(UID)).map((h) => h.text)).toEqual([HAND_WRITTEN]);
  });
});

describe('a second client writing between the user’s read and her save', () => {
  async function otherClient(): Promise<ManageSieveClient> {
    return ManageSieveClient.connect(sieveConnectOptions(config, UID));
  }

  it('makes the save a conflict carrying the current state, and the other client’s script stays as it wrote it', async () => {
    seed(HAND_WRITTEN);
    const seen = await store.read(UID);
    const other = await otherClient();
    const theirs = `${HAND_WRITTEN}# added by another client: Ωμέγα\r\n`;
    try {
      await other.putScript('emailng', theirs);
    } finally {
      await other.logout();
    }
    const error = await rejection(store.update(UID, settingsUpdate(etagOf(seen.text), forwardTo('one@example.org'))));
    expect(error.code).toBe('conflict');
    expect(error.status).toBe(409);
    expect(error.extra.current).toBe(theirs);
    expect(scriptText()).toBe(theirs);
    expect(stored().scripts.has('emailng.history')).toBe(false);
  });

  it('lets the save through once it carries the ETag of what the other client wrote', async () => {
    seed(HAND_WRITTEN);
    const other = await otherClient();
    const theirs = `${HAND_WRITTEN}# added by another client\r\n`;
    try {
      await other.putScript('emailng', theirs);
    } finally {
      await other.logout();
    }
    const current = await store.read(UID);
    const written = await store.update(UID, settingsUpdate(etagOf(current.text), forwardTo('one@example.org')));
    expect(written.text).toContain('# added by another client\r\n');
    expect((await store.history(UID)).map((h) => h.text)).toEqual([theirs]);
  });
});
