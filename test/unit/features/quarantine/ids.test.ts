import { describe, expect, it } from 'vitest';
import { heldId, parseHeldId } from '../../../../api/src/features/quarantine/ids';

describe('held message ids', () => {
  it('round-trips a row key and does not show the mail id in clear', () => {
    const key = { partitionTag: 0, mailId: 'G-_q1anGInnd', rseqnum: 3 };
    const id = heldId(key);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).not.toContain('G-_q1anGInnd');
    expect(parseHeldId(id)).toEqual(key);
  });

  it('refuses what the app did not make', () => {
    const valid = heldId({ partitionTag: 0, mailId: 'abcDEF123456', rseqnum: 0 });
    for (const id of [
      '',
      'x'.repeat(200),
      `${valid}=`,
      valid.slice(0, -1),
      Buffer.from("0.0.abc' OR 1=1 --").toString('base64url'),
      Buffer.from('0.0.').toString('base64url'),
      Buffer.from('-1.0.abc').toString('base64url'),
      Buffer.from('00.0.abc').toString('base64url'),
      Buffer.from('0.0.abc\u0000').toString('base64url'),
      '../../etc/passwd',
      '%27',
    ]) {
      expect(parseHeldId(id), id).toBeNull();
    }
  });
});
