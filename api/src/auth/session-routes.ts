import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../http/errors';
import { clearSessionCookie, type SessionCookieOptions } from '../http/middleware/session';
import { signedIn } from '../http/middleware/signed-in';
import { errorResponses, newRouter } from '../http/router';
import type { Services } from '../services';
import { SESSION_HANDLE } from './session-store';

/**
 * The user's own sessions, for the Security page: list them, end one, end all but this one.
 * Sessions are named by their public handle only; the cookie's session id never leaves the
 * server. Another user's handle, a made-up one and one that already ended all answer the same
 * `session_not_found`, and nothing else is touched.
 */

const SessionSchema = z
  .object({
    id: z.string().openapi({ description: 'Opaque; pass to DELETE /api/sessions/{id}' }),
    current: z.boolean().openapi({ description: 'The session making this request' }),
    method: z.enum(['password', 'sso']),
    createdAt: z.string().openapi({ format: 'date-time' }),
    lastSeen: z.string().openapi({ format: 'date-time', description: 'Recorded at most once a minute' }),
    clientAddress: z.string(),
    userAgent: z.string().openapi({ description: 'As the browser sent it, without control characters, at most 256 characters' }),
  })
  .openapi('Session');

const list = createRoute({
  method: 'get',
  path: '/sessions',
  middleware: [signedIn] as const,
  summary: 'The signed-in user’s live sessions, newest first',
  responses: {
    200: { description: 'Sessions', content: { 'application/json': { schema: z.object({ sessions: z.array(SessionSchema) }) } } },
    ...errorResponses(401, 503),
  },
});

const endOthers = createRoute({
  method: 'post',
  path: '/sessions/revoke-others',
  middleware: [signedIn] as const,
  summary: 'Sign out everywhere else: ends every session of the user except this one',
  responses: {
    200: { description: 'How many ended', content: { 'application/json': { schema: z.object({ ended: z.number().int() }) } } },
    ...errorResponses(401, 403, 415, 503),
  },
});

const endOne = createRoute({
  method: 'delete',
  path: '/sessions/{id}',
  middleware: [signedIn] as const,
  summary: 'Ends one of the user’s own sessions (this one too: then the cookie is cleared)',
  request: { params: z.object({ id: z.string() }) },
  responses: { 204: { description: 'Ended' }, ...errorResponses(401, 403, 404, 503) },
});

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function sessionRoutes(services: Services, cookie: SessionCookieOptions) {
  const { sessionStore, logger } = services;
  const audit = logger.child({ log: 'auth' });

  return newRouter()
    .openapi(list, async (c) => {
      const session = c.var.user;
      const found = await sessionStore.list(session.uid);
      found.sort((a, b) => b.record.createdAt - a.record.createdAt);
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          sessions: found.map(({ sid, record }) => ({
            id: record.handle,
            current: sid === session.sid,
            method: record.method,
            createdAt: iso(record.createdAt),
            lastSeen: iso(record.lastSeen),
            clientAddress: record.clientAddress,
            userAgent: record.userAgent,
          })),
        },
        200,
      );
    })
    .openapi(endOthers, async (c) => {
      const session = c.var.user;
      const ended = await sessionStore.endOthers(session.uid, session.sid);
      audit.info({ event: 'sessions_ended', scope: 'others', uid: session.uid, client: c.get('clientAddress'), ended });
      return c.json({ ended }, 200);
    })
    .openapi(endOne, async (c) => {
      const session = c.var.user;
      const { id } = c.req.valid('param');
      const ownRecord = await sessionStore.get(session.sid);
      const ended = SESSION_HANDLE.test(id) && (await sessionStore.endByHandle(session.uid, id));
      if (!ended) throw new ApiError('session_not_found', 'you have no live session with this id (it may have ended already)');
      audit.info({ event: 'sessions_ended', scope: 'one', uid: session.uid, client: c.get('clientAddress'), ended: 1 });
      if (ownRecord?.handle === id) {
        clearSessionCookie(c, cookie);
        c.set('session', null);
      }
      return c.body(null, 204);
    });
}
