import type { KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';

/**
 * Single sign-on from Roundcube. The plugin (deploy/roundcube/emailng_settings) signs a
 * short-lived JWT for the logged-in user; this module decides whether one is acceptable:
 * the one configured algorithm (never `none`, never the other one), the configured key,
 * issuer and audience, `iat`/`exp` present and at most `maxAgeSeconds` apart and old, `jti`
 * and `sub` present, and the `jti` never seen before (single use).
 */

export interface SsoPolicy {
  issuer: string;
  audience: string;
  algorithm: 'HS256' | 'EdDSA';
  /** HS256: the shared secret; EdDSA: the Ed25519 public key. */
  key: Uint8Array | KeyObject;
  maxAgeSeconds: number;
  clockToleranceSeconds: number;
}

/**
 * Remembers token ids until their tokens expire, so each is accepted once. An interface so
 * several API instances can share it (Redis: `SET key 1 NX EX ttl`); one instance keeps it
 * in memory.
 */
export interface UsedTokenStore {
  /** Records `id` until `expiresAtMs`; false when it was already recorded (a replay). */
  claim(id: string, expiresAtMs: number): Promise<boolean>;
}

/** Bounded: at ≤ 60 s per token this is ~1700 sign-ins a second before live ids are evicted;
 *  when that happens the oldest go first (they are the closest to expiry anyway). */
const MAX_MEMORY_IDS = 100_000;

export class MemoryUsedTokenStore implements UsedTokenStore {
  private readonly ids = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(id: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    const seen = this.ids.get(id);
    if (seen !== undefined && seen > now) return false;
    if (this.ids.size >= MAX_MEMORY_IDS) this.sweep(now);
    this.ids.delete(id);
    this.ids.set(id, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }

  private sweep(now: number): void {
    for (const [id, expiresAt] of this.ids) if (expiresAt <= now) this.ids.delete(id);
    while (this.ids.size >= MAX_MEMORY_IDS) {
      const oldest = this.ids.keys().next();
      if (oldest.done) break;
      this.ids.delete(oldest.value);
    }
  }
}

/** Why a token was refused: for the log, never shown in detail to the user. */
export type SsoRefusal =
  | 'disabled'
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'expired'
  | 'too_old'
  | 'not_yet_valid'
  | 'issuer'
  | 'audience'
  | 'claims'
  | 'replayed'
  | 'unknown_user';

export type SsoVerdict = { ok: true; uid: string; tokenId: string } | { ok: false; reason: SsoRefusal };

/** Roundcube user names are our LDAP uids: letters, digits and . _ -. */
const UID = /^[A-Za-z0-9._-]{1,64}$/;
const TOKEN_ID = /^[A-Za-z0-9_-]{16,128}$/;
const MAX_TOKEN_LENGTH = 4096;

export class SsoVerifier {
  constructor(
    private readonly policy: SsoPolicy | null,
    private readonly used: UsedTokenStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the token and, when it is good, spends its id. The caller still checks `sub`
   *  against the directory. */
  async verify(token: string | undefined | null): Promise<SsoVerdict> {
    const policy = this.policy;
    if (!policy) return { ok: false, reason: 'disabled' };
    if (!token) return { ok: false, reason: 'missing' };
    if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
      return { ok: false, reason: 'malformed' };
    }
    const nowMs = this.now();
    let payload;
    try {
      ({ payload } = await jwtVerify(token, policy.key, {
        algorithms: [policy.algorithm],
        issuer: policy.issuer,
        audience: policy.audience,
        maxTokenAge: policy.maxAgeSeconds,
        clockTolerance: policy.clockToleranceSeconds,
        requiredClaims: ['jti', 'exp', 'iat', 'sub'],
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      return { ok: false, reason: refusalOf(error) };
    }
    const { sub, jti, iat, exp } = payload;
    if (typeof sub !== 'string' || !UID.test(sub) || typeof jti !== 'string' || !TOKEN_ID.test(jti)) {
      return { ok: false, reason: 'claims' };
    }
    // jose checks that the token is not too old; a token must also not be made to live long.
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > policy.maxAgeSeconds) {
      return { ok: false, reason: 'claims' };
    }
    // Remember the id until the token could no longer pass the time checks anyway.
    const rememberUntil = (Math.min(exp, iat + policy.maxAgeSeconds) + policy.clockToleranceSeconds + 1) * 1000;
    if (!(await this.used.claim(`sso:jti:${jti}`, Math.max(rememberUntil, nowMs + 1000)))) {
      return { ok: false, reason: 'replayed' };
    }
    return { ok: true, uid: sub, tokenId: jti };
  }
}

function refusalOf(error: unknown): SsoRefusal {
  if (error instanceof joseErrors.JWTExpired) {
    return error.claim === 'iat' ? 'too_old' : 'expired';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'issuer';
    if (error.claim === 'aud') return 'audience';
    if (error.claim === 'nbf' || (error.claim === 'iat' && error.reason === 'check_failed')) return 'not_yet_valid';
    return 'claims';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) return 'algorithm';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'malformed';
  // A key of the wrong type for the header's algorithm (e.g. an HMAC secret for EdDSA).
  if (error instanceof TypeError) return 'algorithm';
  return 'malformed';
}
