import { randomBytes } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, errors as joseErrors } from 'jose';

/** What the encrypted session cookie carries. No password, ever: the back ends are reached
 *  through the Dovecot master user. */
export interface Session {
  /** Session id: names this sign-in (pooled connections, logs). */
  sid: string;
  uid: string;
  dn: string;
  /** Token the SPA echoes in X-CSRF-Token on every state-changing request. */
  csrf: string;
  /** Sign-in time and last activity, in seconds since the epoch. */
  authTime: number;
  lastSeen: number;
}

export interface SessionPolicy {
  keys: Uint8Array[];
  idleSeconds: number;
  absoluteSeconds: number;
}

const ISSUER = 'emailng-settings';
/** Re-issue the cookie at most this often, so idle expiry slides without a Set-Cookie per request. */
export const SESSION_REFRESH_SECONDS = 60;

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export class SessionCodec {
  constructor(private readonly policy: SessionPolicy) {}

  create(uid: string, dn: string, now = nowSeconds()): Session {
    return { sid: newSessionId(), uid, dn, csrf: randomBytes(24).toString('base64url'), authTime: now, lastSeen: now };
  }

  /** Encrypts (dir + A256GCM) with the first key. */
  async seal(session: Session): Promise<string> {
    const key = this.policy.keys[0];
    if (!key) throw new Error('no session key configured');
    return new EncryptJWT({ uid: session.uid, dn: session.dn, csrf: session.csrf, lst: session.lastSeen })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuer(ISSUER)
      .setJti(session.sid)
      .setIssuedAt(session.authTime)
      .setExpirationTime(session.authTime + this.policy.absoluteSeconds)
      .encrypt(key);
  }

  /** The session in a cookie value, or null when it is absent, tampered, expired or idle too long. */
  async open(token: string | undefined, now = nowSeconds()): Promise<Session | null> {
    if (!token || token.length > 4096) return null;
    for (const key of this.policy.keys) {
      try {
        const { payload } = await jwtDecrypt(token, key, {
          issuer: ISSUER,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          currentDate: new Date(now * 1000),
        });
        const { uid, dn, csrf, lst, jti, iat } = payload;
        if (typeof uid !== 'string' || typeof dn !== 'string' || typeof csrf !== 'string') return null;
        if (typeof lst !== 'number' || typeof jti !== 'string' || typeof iat !== 'number') return null;
        if (now - lst > this.policy.idleSeconds) return null;
        return { sid: jti, uid, dn, csrf, authTime: iat, lastSeen: lst };
      } catch (error) {
        if (error instanceof joseErrors.JWEDecryptionFailed) continue; // try the next (older) key
        return null;
      }
    }
    return null;
  }

  /** Seconds the server-side record should live from now: one idle window past the last
   *  recorded activity (recorded at most every SESSION_REFRESH_SECONDS), never past the
   *  absolute expiry. */
  recordTtlSeconds(session: Session, now = nowSeconds()): number {
    return Math.max(1, Math.min(this.policy.idleSeconds + SESSION_REFRESH_SECONDS, this.remainingSeconds(session, now)));
  }

  /** Seconds the cookie should live: until the absolute expiry. */
  remainingSeconds(session: Session, now = nowSeconds()): number {
    return Math.max(0, session.authTime + this.policy.absoluteSeconds - now);
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
