import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../../api/src/config/load';
import { aliasPolicy, checkAlias, type AliasPolicy } from '../../../../api/src/features/aliases/policy';
import { reservedSkeletons } from '../../../../api/src/features/aliases/reserved';

const policy: AliasPolicy = { domain: 'cs.ucy.ac.cy', maxAdditional: 1, minLocalPartLength: 10, maxLocalPartLength: 64, punctuation: '.-', reserved: reservedSkeletons([]) };
const code = (input: string, p = policy) => {
  const r = checkAlias(input, p);
  return r.ok ? 'ok' : r.code;
};

describe('alias policy', () => {
  it('accepts a full address in the site domain, or only the local part, and answers the full address', () => {
    expect(checkAlias('bob.the.builder@cs.ucy.ac.cy', policy)).toEqual({ ok: true, localPart: 'bob.the.builder', address: 'bob.the.builder@cs.ucy.ac.cy' });
    expect(checkAlias('bob.the.builder', policy)).toEqual({ ok: true, localPart: 'bob.the.builder', address: 'bob.the.builder@cs.ucy.ac.cy' });
    expect(code('first-last-2024')).toBe('ok');
  });

  it('folds case (the directory compares addresses case-insensitively)', () => {
    expect(checkAlias('Bob.The.Builder@CS.UCY.AC.CY', policy)).toMatchObject({ ok: true, address: 'bob.the.builder@cs.ucy.ac.cy' });
  });

  it('counts the local part against the minimum and maximum length', () => {
    expect(code('abcdefghi')).toBe('too_short'); // 9
    expect(code('abcdefghij')).toBe('ok'); // 10
    expect(code('abcdefghi@cs.ucy.ac.cy')).toBe('too_short'); // the domain does not count
    expect(code('a'.repeat(64))).toBe('ok');
    expect(code('a'.repeat(65))).toBe('too_long');
    expect(code('a'.repeat(300))).toBe('too_long');
    expect(code('short', { ...policy, minLocalPartLength: 3 })).toBe('ok');
  });

  it('allows only ASCII letters, digits, dots and hyphens', () => {
    for (const bad of ['γιώργος.ανδρέου', 'giorgos.ανδρέου', 'bob😀builder99', 'bob builder99', 'bob\tbuilder99', 'bob_builder99', 'bob+builder99', 'bob*builder99', '*', '(bob)builder', 'bob\\builder99', 'bob\0builder99', 'josé.garcía99', 'ｂｏｂｂｕｉｌｄｅｒ９９']) {
      expect(code(bad), JSON.stringify(bad)).toBe('invalid_characters');
    }
    expect(code('bob_builder99', { ...policy, punctuation: '._-' })).toBe('ok');
  });

  it('refuses look-alikes that lower-case to ASCII instead of converting them', () => {
    expect(code('\u212Aelvin.sign.k')).toBe('invalid_characters'); // KELVIN SIGN lower-cases to "k"
    expect(code('\u017Fhort.long.s')).toBe('invalid_characters'); // LATIN SMALL LETTER LONG S
    expect(code('\u0130stanbul.name')).toBe('invalid_characters'); // İ
  });

  it('trims white space around, refuses it inside', () => {
    expect(code('  bob.the.builder \n')).toBe('ok');
    expect(code('bob. the.builder')).toBe('invalid_characters');
    expect(code('bob.the.builder\u00a0')).toBe('ok'); // NBSP is white space to trim()
    expect(code('bob.the\u200bbuilder')).toBe('invalid_characters'); // zero-width space is not
    expect(code('   ')).toBe('required');
    expect(code('')).toBe('required');
  });

  it('refuses leading, trailing and double dots, and leading/trailing hyphens', () => {
    expect(code('.bob.builder')).toBe('bad_punctuation');
    expect(code('bob.builder.')).toBe('bad_punctuation');
    expect(code('bob..builder')).toBe('bad_punctuation');
    expect(code('-bob.builder')).toBe('bad_punctuation');
    expect(code('bob.builder-')).toBe('bad_punctuation');
    expect(code('bob.-builder')).toBe('ok');
  });

  it('accepts the site domain only', () => {
    expect(code('bob.the.builder@example.org')).toBe('wrong_domain');
    expect(code('bob.the.builder@sub.cs.ucy.ac.cy')).toBe('wrong_domain');
    expect(code('bob.the.builder@cs.ucy.ac.cy.')).toBe('wrong_domain');
    expect(code('bob.the.builder@ⅽs.ucy.ac.cy')).toBe('wrong_domain'); // ROMAN NUMERAL ONE HUNDRED
    expect(code('bob.the@builder@cs.ucy.ac.cy')).toBe('invalid_characters');
    expect(code('@cs.ucy.ac.cy')).toBe('required');
  });

  it('refuses role and system names (RFC 2142, mail and system accounts) in every spelling that reads the same', () => {
    for (const name of ['postmaster', 'hostmaster', 'administrator', 'mailer-daemon', 'Mailer-Daemon', 'MAILER.DAEMON', 'mailer_daemon', 'mailerdaemon', 'post.master', 'post-master', 'p0stmaster', 'postrnaster', 'adm1nistrator', 'hostmaster@cs.ucy.ac.cy', 'POSTMASTER@CS.UCY.AC.CY']) {
      expect(code(name, { ...policy, punctuation: '._-' }), name).toBe('role_address');
    }
    // Below the minimum length the length says why first; with a shorter minimum, the role.
    for (const name of ['webmaster', 'abuse', 'info', 'noc', 'security', 'sales', 'support', 'marketing', 'root', 'admin', 'nobody', 'ab.use', 'r00t']) {
      expect(code(name, { ...policy, minLocalPartLength: 3 }), name).toBe('role_address');
    }
    // Names that only contain a role name are people's: exact skeletons only.
    for (const name of ['postmaster.anna', 'infosec.team', 'supporter.club', 'rooted.trees']) expect(code(name), name).toBe('ok');
  });

  it('refuses the site’s own names and the API’s accounts, from the configuration', () => {
    const site = aliasPolicy({
      aliases: { maxAdditional: 1, minLocalPartLength: 10, punctuation: '.-', checksPerMinute: 30, reserved: ['Dean.Office.CS'] },
      mail: { domain: 'cs.ucy.ac.cy', timeZone: 'Europe/Nicosia' },
      ldap: { serviceDn: 'cn=emailng-api,ou=Services,dc=cs,dc=ucy,dc=ac,dc=cy' } as AppConfig['ldap'],
      masterUser: { name: 'dovecot-master', password: 'x' },
    });
    for (const name of ['dean.office.cs', 'deanofficecs', 'emailng-api', 'emailng.api', 'dovecot-master', 'postmaster']) expect(code(name, site), name).toBe('role_address');
    expect(code('dean.office.math', site)).toBe('ok');
  });
});
