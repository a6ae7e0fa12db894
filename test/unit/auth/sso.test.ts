import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { MemoryUsedTokenStore, SsoVerifier, type SsoPolicy } from '../../../api/src/auth/sso';

// The single sign-on token rules, with a fixed clock: one algorithm, one key, issuer,
// audience, a life of at most maxAgeSeconds, every required claim, and one use per jti.

const SECRET = new Uint8Array(Buffer.alloc(32, 0x5a));
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const NOW_S = NOW / 1000;
const HS: SsoPolicy = { issuer: 'roundcube', audience: 'emailng', algorithm: 'HS256', key: SECRET, maxAgeSeconds: 60, clockToleranceSeconds: 5 };

let counter = 0;
function jti(): string {
  counter += 1;
  return `test-token-id-${String(counter).padStart(6, '0')}`;
}

interface Claims {
  sub?: string | null;
  jti?: string | null;
  iss?: string | null;
  aud?: string | null;
  iat?: number | null;
  exp?: number | null;
}

async function hs256(claims: Claims = {}, key: Uint8Array = SECRET): Promise<string> {
  const payload = definedClaims(claims);
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

function definedClaims(claims: Claims): Record<string, unknown> {
  const full: Record<string, unknown> = { sub: 'alice', jti: jti(), iss: 'roundcube', aud: 'emailng', iat: NOW_S - 2, exp: NOW_S + 55, ...claims };
  return Object.fromEntries(Object.entries(full).filter(([, v]) => v !== null));
}

function unsigned(header: object, claims: Claims = {}): string {
  const enc = (o: object) => base64url.encode(JSON.stringify(o));
  return `${enc(header)}.${enc(definedClaims(claims))}.`;
}

function verifier(policy: SsoPolicy | null = HS, now = () => NOW) {
  return new SsoVerifier(policy, new MemoryUsedTokenStore(now), now);
}

describe('SsoVerifier (HS256)', () => {
  it('accepts a fresh token once and names its user', async () => {
    const v = verifier();
    const token = await hs256({ jti: 'the-only-use-of-this-id' });
    expect(await v.verify(token)).toEqual({ ok: true, uid: 'alice', tokenId: 'the-only-use-of-this-id' });
    expect(await v.verify(token)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a token with the same jti even when re-signed', async () => {
    const v = verifier();
    expect((await v.verify(await hs256({ jti: 'same-id-twice-000' }))).ok).toBe(true);
    expect(await v.verify(await hs256({ jti: 'same-id-twice-000', sub: 'bob' }))).toEqual({ ok: false, reason: 'replayed' });
  });

  it.each([
    ['expired', { iat: NOW_S - 70, exp: NOW_S - 10 }, 'expired'],
    ['older than maxAgeSeconds (with a far exp)', { iat: NOW_S - 120, exp: NOW_S + 30 }, 'too_old'],
    ['living longer than maxAgeSeconds', { iat: NOW_S, exp: NOW_S + 3600 }, 'claims'],
    ['issued in the future', { iat: NOW_S + 30, exp: NOW_S + 60 }, 'not_yet_valid'],
    ['for another audience', { aud: 'someone-else' }, 'audience'],
    ['from another issuer', { iss: 'evil' }, 'issuer'],
    ['without jti', { jti: null }, 'claims'],
    ['without sub', { sub: null }, 'claims'],
    ['without exp', { exp: null }, 'claims'],
    ['without iat', { iat: null }, 'claims'],
    ['with a jti too short to be random', { jti: 'abc' }, 'claims'],
    ['with a sub that is no login name', { sub: 'alice)(uid=*' }, 'claims'],
  ] as const)('refuses a token %s', async (_name, claims, reason) => {
    expect(await verifier().verify(await hs256(claims))).toEqual({ ok: false, reason });
  });

  it('allows the configured clock tolerance and no more', async () => {
    expect((await verifier().verify(await hs256({ iat: NOW_S - 62, exp: NOW_S - 2 }))).ok).toBe(true);
    expect(await verifier().verify(await hs256({ iat: NOW_S - 70, exp: NOW_S - 10 }))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token signed with another key', async () => {
    expect(await verifier().verify(await hs256({}, new Uint8Array(Buffer.alloc(32, 1))))).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses alg "none", whatever the claims', async () => {
    expect(await verifier().verify(unsigned({ alg: 'none', typ: 'JWT' }))).toEqual({ ok: false, reason: 'algorithm' });
  });

  it('refuses a token signed with EdDSA when HS256 is configured', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const token = await new SignJWT(definedClaims({})).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
    expect(await verifier().verify(token)).toEqual({ ok: false, reason: 'algorithm' });
  });

  it.each([
    ['empty', ''],
    ['not a JWT', 'hello'],
    ['three parts of junk', 'a.b.c'],
    ['a JWE-shaped string', 'a.b.c.d.e'],
    ['a huge token', `${'a'.repeat(3000)}.${'b'.repeat(3000)}.c`],
    ['a header that is not JSON', `${base64url.encode('{oops')}.${base64url.encode('{}')}.sig`],
    ['a payload that is not JSON', `${base64url.encode('{"alg":"HS256"}')}.${base64url.encode('[1')}.c2ln`],
  ])('refuses a malformed token: %s', async (_name, token) => {
    const verdict = await verifier().verify(token);
    expect(verdict.ok).toBe(false);
  });

  it('refuses everything when SSO is not configured', async () => {
    expect(await verifier(null).verify(await hs256())).toEqual({ ok: false, reason: 'disabled' });
  });
});

describe('SsoVerifier (EdDSA)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const ED: SsoPolicy = { ...HS, algorithm: 'EdDSA', key: publicKey };

  it('accepts a token signed with the private key', async () => {
    const token = await new SignJWT(definedClaims({ sub: 'bob' })).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
    expect(await verifier(ED).verify(token)).toMatchObject({ ok: true, uid: 'bob' });
  });

  it('refuses HS256 "signed" with the public key as the HMAC secret (algorithm confusion)', async () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    for (const secret of [Buffer.from(pem), der]) {
      const token = await hs256({}, new Uint8Array(secret));
      expect(await verifier(ED).verify(token)).toEqual({ ok: false, reason: 'algorithm' });
    }
  });

  it('refuses a token signed by another Ed25519 key', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const token = await new SignJWT(definedClaims({})).setProtectedHeader({ alg: 'EdDSA' }).sign(other);
    expect(await verifier(ED).verify(token)).toEqual({ ok: false, reason: 'signature' });
    expect(createPublicKey(other).equals(publicKey)).toBe(false);
  });
});

describe('MemoryUsedTokenStore', () => {
  it('remembers an id until its expiry, then lets it go', async () => {
    let now = 1000;
    const store = new MemoryUsedTokenStore(() => now);
    expect(await store.claim('x', 5000)).toBe(true);
    expect(await store.claim('x', 5000)).toBe(false);
    now = 5001;
    expect(await store.claim('x', 9000)).toBe(true);
    expect(store.size).toBe(1);
  });
});
