import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../http/errors';
import { signedInAccount } from '../http/middleware/signed-in';
import { errorResponses, newRouter } from '../http/router';
import type { Services } from '../services';
import { revokeAllSessions } from './revoke';

const RevokeSchema = z
  .object({
    uid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'invalid'),
    reason: z
      .string()
      .trim()
      .min(1, 'required')
      .max(500, 'too_long')
      // The codes the rest of the API uses for these (and the SPA has words for).
      .refine((v) => !/\p{Cc}/u.test(v), 'control_character')
      .refine((v) => !/\p{Cf}/u.test(v), 'format_character'),
  })
  .openapi('RevokeSessions');

const revoke = createRoute({
  method: 'post',
  path: '/admin/revoke-sessions',
  summary: 'Administrators (config `administrators`): end every session of a user on every instance',
  middleware: [signedInAccount] as const,
  request: { body: { required: true, content: { 'application/json': { schema: RevokeSchema } } } },
  responses: {
    200: { description: 'How many ended', content: { 'application/json': { schema: z.object({ ended: z.number().int() }) } } },
    ...errorResponses(400, 401, 403, 404, 415, 503),
  },
});

export function adminRoutes(services: Pick<Services, 'config' | 'directory' | 'sessionStore' | 'activity' | 'logger'>) {
  const administrators = new Set(services.config.administrators);
  return newRouter().openapi(revoke, async (c) => {
    const admin = c.var.account;
    if (!administrators.has(admin.uid)) throw new ApiError('forbidden', 'only the configured administrators may end other users’ sessions');
    const { uid, reason } = c.req.valid('json');
    const target = await services.directory.getAccount(uid);
    if (!target) throw new ApiError('not_found', 'no such user');
    const ended = await revokeAllSessions(services, target.uid, { actor: admin.uid, actorName: admin.displayName, reason });
    return c.json({ ended }, 200);
  });
}
