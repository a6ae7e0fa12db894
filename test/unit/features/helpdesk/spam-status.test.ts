import { describe, expect, it } from 'vitest';
import { headerPart, headerValue, spamTests } from '../../../../api/src/features/helpdesk/spam-status';

describe('SpamAssassin’s tests in X-Spam-Status', () => {
  it('reads amavisd’s bracketed list with scores and SpamAssassin’s plain one', () => {
    expect(spamTests('Yes, score=999.999 tag=-999 tag2=6.31 kill=20 tests=[GTUBE=1000, NO_RELAYS=-0.001] autolearn=disabled')).toEqual([
      { name: 'GTUBE', score: 1000 },
      { name: 'NO_RELAYS', score: -0.001 },
    ]);
    expect(spamTests('No, score=0.1 required=5.0 tests=MISSING_DATE,NO_RELAYS autolearn=no')).toEqual([
      { name: 'MISSING_DATE', score: null },
      { name: 'NO_RELAYS', score: null },
    ]);
    expect(spamTests(null)).toBeNull();
    expect(spamTests('No, score=0')).toBeNull();
  });
});

describe('a message’s header', () => {
  it('ends at the first empty line, and a folded field is read whole', () => {
    const raw = 'X-Spam-Status: Yes, score=9\r\n tests=[A=1,\r\n B=2]\r\nSubject: s\r\n\r\nbody tests=[C=3]\r\n';
    const header = headerPart(raw);
    expect(header).not.toContain('body');
    expect(spamTests(headerValue(header, 'x-spam-status'))?.map((t) => t.name)).toEqual(['A', 'B']);
    expect(headerValue(header, 'X-Other')).toBeNull();
  });
});
