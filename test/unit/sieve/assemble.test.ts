import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleScript, readAppSettings, type ScriptSettings } from '../../../api/src/sieve/assemble.js';
import { parseDocument } from '../../../api/src/sieve/document/parse-document.js';
import { SieveCapabilityError, SieveValidationError } from '../../../api/src/sieve/errors.js';
import { FIXTURE_DIR } from './helpers.js';

const CAPS = ['fileinto', 'mailbox', 'copy', 'vacation', 'date', 'relational', 'comparator-i;ascii-numeric', 'spamtestplus', 'imap4flags', 'envelope', 'reject', 'body', 'regex'];
const OPTIONS = { capabilities: CAPS, spamtestMaxValue: 20 };

describe('assembleScript', () => {
  it('orders sections allow/block → spam → forwarding → vacation, then the user filters', () => {
    const user = readFileSync(join(FIXTURE_DIR, 'roundcube-nested.sieve'), 'utf8');
    const out = assembleScript(user, {
      vacation: { body: 'Away.\n.\nBack soon', subject: 'Away "now"', start: '2025-06-30T21:00:00', end: '2025-07-10T21:00:00', addresses: ['me@uni.example'] },
      forwarding: { addresses: ['home@example.net'], keepCopy: true },
      senders: { allow: ['friend@example.org'], block: ['pest@example.com'] },
      spam: { threshold: 6.31, folder: 'SPAM' },
    }, OPTIONS);
    const order = [...out.matchAll(/# emailng:begin (\S+)/g)].map((m) => m[1]);
    expect(order).toEqual(['allow-block', 'spam', 'forwarding', 'vacation']);
    expect(out.indexOf('# emailng:end vacation')).toBeLessThan(out.indexOf('# rule:[lists]'));
    expect(out).toContain('require ["comparator-i;ascii-numeric", "copy", "date", "mailbox", "relational", "spamtestplus", "vacation"];\n');
    expect(out).toContain('if allof (not address :is "from" ["friend@example.org"], spamtest :percent :value "ge" :comparator "i;ascii-numeric" "31")');
    expect(out).toContain('currentdate :zone "+0000" :value "ge" "iso8601" "2025-06-30T21:00:00", currentdate :zone "+0000" :value "lt" "iso8601" "2025-07-10T21:00:00"');
    expect(out).toContain('\nredirect :copy "home@example.net";\n');
    // The custom blocks are still there byte for byte.
    expect(out.endsWith(user.slice(user.indexOf('# rule:[lists]')))).toBe(true);
    const doc = parseDocument(out);
    expect(doc.items.map((i) => i.kind)).toEqual(['section', 'section', 'section', 'section', 'custom', 'custom']);
    expect(assembleScript(out, {}, OPTIONS)).toBe(out);
  });

  it('replaces only the section asked for and removes one set to null', () => {
    const first = assembleScript(null, { forwarding: { addresses: ['a@b.example'], keepCopy: false }, vacation: { body: 'x' } }, OPTIONS);
    const second = assembleScript(first, { forwarding: null }, OPTIONS);
    expect(second).not.toContain('forwarding');
    expect(second).toContain('# emailng:begin vacation');
  });

  it('refuses with typed errors', () => {
    expect(() => assembleScript(null, { forwarding: { addresses: ['a@b.example'], keepCopy: true } }, { ...OPTIONS, capabilities: ['fileinto'] })).toThrow(SieveCapabilityError);
    expect(() => assembleScript(null, { forwarding: { addresses: ['a@b.x', 'b@b.x', 'c@b.x', 'd@b.x', 'e@b.x'], keepCopy: false } }, OPTIONS)).toThrow(SieveValidationError);
    expect(() => assembleScript(null, { vacation: { body: 'x', start: 'tomorrow' } }, OPTIONS)).toThrow(SieveValidationError);
    expect(() => assembleScript(null, { vacation: { body: 'x', start: '2025-07-01' } }, OPTIONS)).toThrow(SieveValidationError);
    expect(() => assembleScript(null, { senders: { allow: [], block: ['not a domain'] } }, OPTIONS)).toThrow(SieveValidationError);
    expect(() => assembleScript(null, { spam: { threshold: 8, folder: 'SPAM', discardAbove: 5 } }, OPTIONS)).toThrow(SieveValidationError);
  });
});

describe('readAppSettings', () => {
  const settings: ScriptSettings = {
    senders: { allow: ['friend@example.org', 'uni.example'], block: ['pest@example.com', 'spam.example'], blockAction: 'folder', blockFolder: 'Junk' },
    spam: { threshold: 6.31, folder: 'SPAM', discardAbove: 15 },
    forwarding: { addresses: ['home@example.net'], keepCopy: false },
    vacation: { body: 'Away.\n.\nΕπιστρέφω', subject: 'Out "of" office', start: '2026-12-23T22:00:00', timeZone: 'Europe/Nicosia', addresses: ['me@uni.example'], days: 3 },
  };

  it('reads back exactly the settings that were written', () => {
    const doc = parseDocument(assembleScript(null, settings, OPTIONS));
    expect(readAppSettings(doc, OPTIONS)).toEqual({ ...settings, handEdited: [] });
  });

  it('keeps a turned-off spam section, so the choice survives', () => {
    const out = assembleScript(null, { spam: { enabled: false, threshold: null, folder: 'SPAM' } }, OPTIONS);
    expect(out).not.toContain('fileinto');
    expect(readAppSettings(parseDocument(out), OPTIONS).spam).toEqual({ enabled: false, threshold: null, folder: 'SPAM' });
  });

  it('keeps a turned-off vacation message for next time, replying to nobody', () => {
    const out = assembleScript(null, { vacation: { enabled: false, body: 'Back on Monday', subject: 'Away' } }, OPTIONS);
    expect(out).not.toMatch(/^\s*vacation/m);
    expect(readAppSettings(parseDocument(out), OPTIONS)).toEqual({ vacation: { enabled: false, body: 'Back on Monday', subject: 'Away' }, handEdited: [] });
  });

  it('reports a section edited by hand instead of trusting its state line', () => {
    const out = assembleScript(null, settings, OPTIONS).replace('redirect "home@example.net";', 'redirect "thief@example.com";');
    const read = readAppSettings(parseDocument(out), OPTIONS);
    expect(read.handEdited).toEqual(['forwarding']);
    const noState = assembleScript(null, { forwarding: settings.forwarding }, OPTIONS).replace(/# emailng:state [^\n]*\n/, '');
    expect(readAppSettings(parseDocument(noState), OPTIONS).handEdited).toEqual(['forwarding']);
  });
});
