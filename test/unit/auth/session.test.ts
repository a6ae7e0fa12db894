import { describe, expect, it } from 'vitest';
import { EncryptJWT } from 'jose';
import { SessionCodec } from '../../../api/src/auth/session';

const key = new Uint8Array(32).fill(1);
const oldKey = new Uint8Array(32).fill(2);
const codec = new SessionCodec({ keys: [key], idleSeconds: 1800, absoluteSeconds: 12 * 3600 });

describe('session cookie', () => {
  it('round-trips through encryption and carries no password', async () => {
    const session = codec.create('alice', 'uid=alice,ou=People,dc=x', 1000);
    const token = await codec.seal(session);
    expect(token.split('.')).toHaveLength(5); // compact JWE: encrypted, not merely signed
    expect(token).not.toContain('alice');
    expect(await codec.open(token, 1001)).toEqual(session);
  });

  it('expires after the idle window and after the absolute lifetime', async () => {
    const session = codec.create('alice', 'dn', 1000);
    const token = await codec.seal(session);
    expect(await codec.open(token, 1000 + 1800)).not.toBeNull();
    expect(await codec.open(token, 1000 + 1801)).toBeNull();
    const active = await codec.seal({ ...session, lastSeen: 1000 + 12 * 3600 - 10 });
    expect(await codec.open(active, 1000 + 12 * 3600 - 5)).not.toBeNull();
    expect(await codec.open(active, 1000 + 12 * 3600 + 1)).toBeNull();
  });

  it('refuses tampered, foreign-key and garbage tokens', async () => {
    const token = await codec.seal(codec.create('alice', 'dn', 1000));
    const parts = token.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'BB' : 'AA');
    expect(await codec.open(parts.join('.'), 1001)).toBeNull();
    const foreign = new SessionCodec({ keys: [oldKey], idleSeconds: 1800, absoluteSeconds: 3600 });
    expect(await foreign.open(token, 1001)).toBeNull();
    expect(await codec.open('not.a.token', 1001)).toBeNull();
    expect(await codec.open('x'.repeat(5000), 1001)).toBeNull();
    expect(await codec.open(undefined, 1001)).toBeNull();
  });

  it('refuses a token encrypted with our key but lacking our claims', async () => {
    const bare = await new EncryptJWT({ uid: 'alice' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    expect(await codec.open(bare)).toBeNull();
  });

  it('still opens sessions sealed with an older key after rotation', async () => {
    const before = new SessionCodec({ keys: [oldKey], idleSeconds: 1800, absoluteSeconds: 3600 });
    const rotated = new SessionCodec({ keys: [key, oldKey], idleSeconds: 1800, absoluteSeconds: 3600 });
    const session = before.create('bob', 'dn', 1000);
    expect(await rotated.open(await before.seal(session), 1001)).toEqual(session);
  });
});
