import { describe, expect, it } from 'vitest';
import { cutCommands, ldapExits, replyFroms, scriptExits } from '../../../../api/src/features/exits/find';
import { rawExitProblem } from '../../../../api/src/features/exits/limits';
import { assembleScript } from '../../../../api/src/sieve';

const OPTIONS = { capabilities: ['fileinto', 'copy', 'vacation', 'envelope', 'imap4flags', 'body', 'regex', 'date', 'relational', 'spamtest', 'reject', 'mailbox', 'variables'], spamtestMaxValue: 20, maxRedirects: 4 };

// A script as several writers leave it: the app's forwarding section, a builder (Roundcube
// format) rule that forwards, a disabled Roundcube rule, and hand-written Sieve with Greek.
const APP = assembleScript(null, { forwarding: { addresses: ['home@example.net'], keepCopy: true } }, OPTIONS);
const ROUNDCUBE_RULE = '# rule:[Προώθηση λογαριασμών]\r\nif header :contains "subject" "invoice"\r\n{\r\n\tredirect :copy "accounts@example.org";\r\n}\r\n';
const DISABLED_RULE = '# rule:[Old]\r\nif false # header :contains "subject" "x"\r\n{\r\n\tredirect "old@example.org";\r\n}\r\n';
const HAND = '# σημείωση: δικό μου\r\nif address :is "from" "boss@example.com" { fileinto "Boss"; redirect "ΜΕ.ΤΟΝΟ@example.com"; keep; }\r\n';
const SCRIPT = APP + ROUNDCUBE_RULE + DISABLED_RULE + HAND;

describe('scriptExits', () => {
  it('finds every redirect with where it comes from, and which ones run', () => {
    const found = scriptExits(SCRIPT).map(({ source, address, keepsCopy, active, place }) => ({ source, address, keepsCopy, active, place }));
    expect(found).toEqual([
      { source: 'forwarding', address: 'home@example.net', keepsCopy: true, active: true, place: undefined },
      { source: 'filter', address: 'accounts@example.org', keepsCopy: true, active: true, place: 'Προώθηση λογαριασμών' },
      { source: 'filter', address: 'old@example.org', keepsCopy: false, active: false, place: 'Old' },
      { source: 'sieve', address: 'ΜΕ.ΤΟΝΟ@example.com', keepsCopy: false, active: true, place: undefined },
    ]);
  });

  it('gives an exit the same id wherever the script around it changes, another id elsewhere', () => {
    const id = (text: string, address: string) => scriptExits(text).find((e) => e.address === address)?.id;
    expect(id(HAND, 'ΜΕ.ΤΟΝΟ@example.com')).toBe(id(SCRIPT, 'ΜΕ.ΤΟΝΟ@example.com'));
    expect(id(SCRIPT, 'accounts@example.org')).not.toBe(id(ROUNDCUBE_RULE.replace('Προώθηση', 'Άλλη'), 'accounts@example.org'));
  });

  it('finds nothing in a script that does not parse (the raw editor is where it is fixed)', () => {
    expect(scriptExits('redirect "a@example.net"')).toEqual([]);
  });
});

describe('cutCommands', () => {
  it('removes a redirect on its own line and nothing else, byte for byte', () => {
    const exit = scriptExits(SCRIPT).find((e) => e.address === 'accounts@example.org')!;
    expect(cutCommands(SCRIPT, [exit.command])).toBe(SCRIPT.replace('\tredirect :copy "accounts@example.org";\r\n', ''));
  });

  it('removes a redirect sharing its line with other commands, with the space after it', () => {
    const exit = scriptExits(SCRIPT).find((e) => e.address === 'ΜΕ.ΤΟΝΟ@example.com')!;
    expect(cutCommands(SCRIPT, [exit.command])).toBe(SCRIPT.replace('redirect "ΜΕ.ΤΟΝΟ@example.com"; ', ''));
  });

  it('removes several at once, from the end so the earlier offsets hold', () => {
    const text = 'redirect "a@example.net";\nredirect "b@example.net";\nkeep;\n';
    expect(cutCommands(text, scriptExits(text).map((e) => e.command))).toBe('keep;\n');
  });

  it('keeps the final line without a line break as it is', () => {
    const text = 'keep;\nredirect "a@example.net";';
    expect(cutCommands(text, scriptExits(text).map((e) => e.command))).toBe('keep;\n');
  });
});

describe('ldapExits', () => {
  it('lists every value but the user’s own address, which means a copy is kept', () => {
    expect(ldapExits(['far@example.net', 'ME@cs.ucy.ac.cy'], 'me@cs.ucy.ac.cy')).toMatchObject([{ source: 'ldap', address: 'far@example.net', keepsCopy: true, active: true }]);
    expect(ldapExits(['far@example.net'], 'me@cs.ucy.ac.cy')[0]?.keepsCopy).toBe(false);
    expect(ldapExits(['me@cs.ucy.ac.cy'], 'me@cs.ucy.ac.cy')).toEqual([]);
  });
});

describe('replyFroms', () => {
  it('reads every vacation :from, nested ones too', () => {
    const text = 'require ["vacation"];\nif true { vacation :from "Ρέκτορας <me@cs.ucy.ac.cy>" "away"; }\nvacation "plain";\n';
    expect(replyFroms(text)).toEqual(['Ρέκτορας <me@cs.ucy.ac.cy>']);
  });
});

describe('rawExitProblem', () => {
  const own = ['me@cs.ucy.ac.cy', 'me.alias@cs.ucy.ac.cy'];
  const add = (line: string) => `keep;\n${line}\n`;

  it('holds an added redirect to the forwarding page’s rules, with its line', () => {
    expect(rawExitProblem('keep;\n', add('redirect "ME+x@cs.ucy.ac.cy";'), own, 0, 4)).toEqual({ code: 'own_address', line: 2, address: 'ME+x@cs.ucy.ac.cy' });
    expect(rawExitProblem('keep;\n', add('redirect "victim%evil.example@relay.example.net";'), own, 0, 4)?.code).toBe('source_route');
    expect(rawExitProblem('keep;\n', add('redirect "a@[192.0.2.1]";'), own, 0, 4)?.code).toBe('ip_literal');
    expect(rawExitProblem('keep;\n', add('redirect "${1}@example.net";'), own, 0, 4)?.code).toBe('invalid');
    expect(rawExitProblem('keep;\n', add('redirect "fine@example.net";'), own, 0, 4)).toBeNull();
  });

  it('leaves a redirect that was there alone, so an old one never blocks another edit', () => {
    const before = add('redirect "root@localhost";');
    expect(rawExitProblem(before, before + 'discard;\n', own, 0, 4)).toBeNull();
  });

  it('counts the directory’s forwards with the script’s against the limit, only when the save adds', () => {
    const three = 'redirect "a@example.net";\nredirect "b@example.net";\nredirect "c@example.net";\n';
    expect(rawExitProblem('keep;\n', three, own, 1, 4)).toBeNull();
    expect(rawExitProblem('keep;\n', three, own, 2, 4)).toEqual({ code: 'too_many_redirects', line: null });
    // Already over (the directory gained forwards): an edit that adds none is not refused.
    expect(rawExitProblem(three, three + 'keep;\n', own, 2, 4)).toBeNull();
    // A disabled redirect does not count.
    expect(rawExitProblem('keep;\n', three + 'if false { redirect "d@example.net"; }\n', own, 1, 4)).toBeNull();
  });
});
