import { describe, expect, it } from 'vitest';
import { allAddresses, classifyAddresses, defaultLocalPart } from '../../../api/src/shared/user-addresses';

const bob = { mail: 'bob@cs.ucy.ac.cy', givenName: 'Bob', sn: 'Builder' };

describe('telling the default alias from the user’s own', () => {
  it('derives first.last as the central system does, Greek transliterated', () => {
    expect(defaultLocalPart('Alice', 'Liddell')).toBe('alice.liddell');
    expect(defaultLocalPart('Γιώργος', 'Ανδρέου')).toBe('giorgos.andreou');
    expect(defaultLocalPart('Load', 'User 010')).toBe('load.user010');
    expect(defaultLocalPart('José', 'García-Márquez')).toBe('jose.garcia-marquez');
    expect(defaultLocalPart('', 'X')).toBeNull();
  });

  it('a lone value is the default', () => {
    expect(classifyAddresses({ ...bob, alternateAddresses: ['bob.builder@cs.ucy.ac.cy'] })).toEqual({
      login: 'bob@cs.ucy.ac.cy',
      defaultAlias: 'bob.builder@cs.ucy.ac.cy',
      additional: [],
      ambiguous: false,
    });
    expect(classifyAddresses({ ...bob, alternateAddresses: [] }).defaultAlias).toBeNull();
  });

  it('with several values, the first.last one is the default whatever the server order', () => {
    for (const values of [
      ['bob.builder@cs.ucy.ac.cy', 'can.we.fix.it@cs.ucy.ac.cy'],
      ['can.we.fix.it@cs.ucy.ac.cy', 'Bob.Builder@cs.ucy.ac.cy'],
    ]) {
      const c = classifyAddresses({ ...bob, alternateAddresses: values });
      expect(c.defaultAlias?.toLowerCase()).toBe('bob.builder@cs.ucy.ac.cy');
      expect(c.additional).toEqual(['can.we.fix.it@cs.ucy.ac.cy']);
      expect(c.ambiguous).toBe(false);
    }
    const greek = classifyAddresses({ mail: 'gandre01@x', givenName: 'Γιώργος', sn: 'Ανδρέου', alternateAddresses: ['my.own.alias@x', 'giorgos.andreou@x'] });
    expect(greek.defaultAlias).toBe('giorgos.andreou@x');
  });

  it('falls back to server order, flagged, when no value has the name form', () => {
    const c = classifyAddresses({ ...bob, alternateAddresses: ['b.builder@x', 'can.we.fix.it@x'] });
    expect(c).toMatchObject({ defaultAlias: 'b.builder@x', additional: ['can.we.fix.it@x'], ambiguous: true });
  });

  it('lists every address once, login first', () => {
    expect(allAddresses({ login: 'a@x', defaultAlias: 'a.b@x', additional: ['A@x', 'c.d@x'], ambiguous: false })).toEqual(['a@x', 'a.b@x', 'c.d@x']);
  });
});
