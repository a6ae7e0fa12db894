import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_REFRESH_SECONDS, nowSeconds, type Session, type SessionCodec } from '../../auth/session';
import type { SessionStore } from '../../auth/session-store';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in user's session, or null. */
    session: Session | null;
  }
}

export interface SessionCookieOptions {
  name: string;
  secure: boolean;
  /** Lax: the app and the webmail are one site. None (+ Secure): a cross-site webmail frames the app. */
  sameSite?: 'Lax' | 'None';
  /** CHIPS: one cookie jar per top-level site, for the cross-site frame. Needs Secure. */
  partitioned?: boolean;
}

function attributes(cookie: SessionCookieOptions) {
  const sameSite = cookie.sameSite ?? 'Lax';
  // SameSite=None cookies must be Secure or browsers drop them; so must Partitioned ones.
  const secure = cookie.secure || sameSite === 'None' || cookie.partitioned === true;
  return { path: '/', httpOnly: true, secure, sameSite, ...(cookie.partitioned ? { partitioned: true as const } : {}) };
}

export async function writeSessionCookie(c: Context, codec: SessionCodec, cookie: SessionCookieOptions, session: Session): Promise<void> {
  setCookie(c, cookie.name, await codec.seal(session), { ...attributes(cookie), maxAge: codec.remainingSeconds(session) });
}

export function clearSessionCookie(c: Context, cookie: SessionCookieOptions): void {
  deleteCookie(c, cookie.name, attributes(cookie));
}

/**
 * The live session a request's cookie names: the cookie must open (ours, not tampered, not
 * idle or past its lifetime) and its server-side record must still exist for the same user.
 * The record is read on every request (one Redis round trip when shared), so a session ended
 * on any instance is refused on the very next request everywhere.
 */
export async function liveSession(c: Context, codec: SessionCodec, store: SessionStore, cookie: SessionCookieOptions, now = nowSeconds()) {
  const session = await codec.open(getCookie(c, cookie.name), now);
  if (!session) return null;
  const record = await store.get(session.sid);
  return record && record.uid === session.uid ? { session, record } : null;
}

/** Reads the session; slides the idle expiry by re-issuing the cookie and recording activity
 *  at most once a minute. A cookie whose session has ended is cleared. */
export function sessionReader(codec: SessionCodec, store: SessionStore, cookie: SessionCookieOptions): MiddlewareHandler {
  return async function sessionMiddleware(c, next) {
    const now = nowSeconds();
    const live = await liveSession(c, codec, store, cookie, now);
    const session = live?.session ?? null;
    c.set('session', session);
    await next();
    const current = c.get('session');
    if (!live && !current && getCookie(c, cookie.name) !== undefined) clearSessionCookie(c, cookie);
    if (live && current && current === session && now - live.record.lastSeen >= SESSION_REFRESH_SECONDS && c.res.status < 400) {
      await store.touch(session.sid, now, codec.recordTtlSeconds(session, now));
    }
    if (current && current === session && now - session.lastSeen >= SESSION_REFRESH_SECONDS && c.res.status < 400) {
      await writeSessionCookie(c, codec, cookie, { ...session, lastSeen: now });
    }
  };
}
