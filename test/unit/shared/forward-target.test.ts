import { describe, expect, it } from 'vitest';
import { forwardTargetProblem } from '../../../api/src/shared/forward-target';

const OWN = ['bob@cs.ucy.ac.cy', 'bob.builder@cs.ucy.ac.cy', 'bob.the.builder99@cs.ucy.ac.cy'];
const problem = (address: string) => forwardTargetProblem(address, OWN);

describe('where mail may be forwarded to', () => {
  it('takes ordinary addresses, IDN domains in their canonical form, and atext signs', () => {
    for (const ok of ['maria@example.gr', 'Maria.Papadopoulou@Gmail.com', 'a@b.co', "o'brien@mail.ie", 'x-y_z+tag@sub.domain.org', 'info@καλημέρα.gr', 'info@xn--kxae4bafwg.gr', `${'a'.repeat(64)}@example.gr`, `a@${'b'.repeat(63)}.gr`]) {
      expect(problem(ok), ok).toBeNull();
    }
  });

  it('refuses labels that start or end with a hyphen, and labels over 63 octets', () => {
    expect(problem('a@-bad.example.gr')).toBe('label_hyphen');
    expect(problem('a@bad-.gr')).toBe('label_hyphen');
    expect(problem('a@mail.bad-.gr')).toBe('label_hyphen');
    expect(problem(`a@${'b'.repeat(64)}.gr`)).toBe('label_too_long');
    expect(problem(`a@${'βγ'.repeat(40)}.gr`)).toBe('label_too_long'); // its xn-- form is over 63
  });

  it('refuses local parts over 64 octets and addresses over 254', () => {
    expect(problem(`${'a'.repeat(65)}@example.gr`)).toBe('local_part_too_long');
    const long = `a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.gr`;
    expect(problem(long)).toBe('address_too_long');
  });

  it('refuses IP literals and domains that are IP addresses in any notation', () => {
    for (const ip of ['a@[192.0.2.1]', 'a@[IPv6:2001:db8::1]', 'a@192.0.2.1', 'a@127.1', 'a@2130706433', 'a@0x7f.1', 'a@0x7f000001']) expect(problem(ip), ip).toBe('ip_literal');
  });

  it('refuses single-label and never-delivered domains', () => {
    for (const a of ['a@intranet', 'a@mailhost', 'a@gr']) expect(problem(a), a).toBe('single_label_domain');
    for (const a of ['root@localhost', 'a@LOCALHOST', 'a@localhost.localdomain', 'a@printer.local', 'a@x.invalid', 'a@uni.example', 'a@host.test', 'a@router.home.arpa', 'a@abc.onion', 'a@sub.localhost']) {
      expect(problem(a), a).toBe('reserved_domain');
    }
  });

  it('refuses the percent hack, bang paths and quoted local parts', () => {
    expect(problem('victim%evil.example.gr@relay.cs.ucy.ac.cy')).toBe('source_route');
    expect(problem('host!user@relay.gr')).toBe('source_route');
    expect(problem('"a b"@example.gr')).toBe('quoted_local_part');
    expect(problem('"bob@cs.ucy.ac.cy"@evil.gr')).toBe('quoted_local_part');
  });

  it('refuses the user’s own addresses, in any case and with a +detail (a loop)', () => {
    for (const a of ['bob@cs.ucy.ac.cy', 'BOB@CS.UCY.AC.CY', 'bob+x@cs.ucy.ac.cy', 'Bob+Loop+2@cs.ucy.ac.cy', 'bob.builder+@cs.ucy.ac.cy', 'bob.the.builder99+a@CS.ucy.ac.cy']) {
      expect(problem(a), a).toBe('own_address');
    }
    expect(problem('bobby@cs.ucy.ac.cy')).toBeNull();
  });

  it('refuses look-alike and broken spellings instead of delivering to another one', () => {
    for (const a of ['a@example\uff0egr', 'a@exa\u200bmple.gr', 'a@example.gr.', 'a@.example.gr', 'a@example..gr', 'a@exa_mple.gr', 'a@exa mple.gr', 'a@ΚΑΛΗΜΈΡΑ.gr'.normalize('NFD')]) {
      expect(problem(a), JSON.stringify(a)).not.toBeNull();
    }
    expect(problem('a@exa\u200bmple.gr')).toBe('invalid_domain');
  });

  it('refuses what is no address at all', () => {
    for (const a of ['', '   ', 'bob', '@example.gr', 'a@', 'a@@example.gr', 'a@b@example.gr', '.a@example.gr', 'a.@example.gr', 'a..b@example.gr', 'a b@example.gr', 'a\r\nBcc: x@y.gr@example.gr', 'a\u0000@example.gr', 'γιώργος@example.gr', '<a@example.gr>', 'Name <a@example.gr>']) {
      expect(problem(a), JSON.stringify(a)).not.toBeNull();
    }
  });
});
