import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_REFRESH_SECONDS, nowSeconds, type Session, type SessionCodec } from '../../auth/session';
import { ApiError } from '../errors';

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

/** Reads the session cookie; slides the idle expiry by re-issuing it at most once a minute. */
export function sessionReader(codec: SessionCodec, cookie: SessionCookieOptions): MiddlewareHandler {
  return async function sessionMiddleware(c, next) {
    const now = nowSeconds();
    const session = await codec.open(getCookie(c, cookie.name), now);
    c.set('session', session);
    await next();
    const current = c.get('session');
    if (current && current === session && now - session.lastSeen >= SESSION_REFRESH_SECONDS && c.res.status < 400) {
      await writeSessionCookie(c, codec, cookie, { ...session, lastSeen: now });
    }
  };
}

export function requireSession(c: Context): Session {
  const session = c.get('session');
  if (!session) throw new ApiError('unauthenticated', 'sign in first');
  return session;
}
