import { createRoute } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { SecuritySchema } from './schemas';
import type { SecurityService } from './service';

const getSecurity = createRoute({
  method: 'get',
  path: '/security',
  summary: 'The Security page in one call: live sessions, sign-ins (30 days), changes to delivery settings, helpdesk looks',
  responses: { 200: { description: 'What happened to the account', content: { 'application/json': { schema: SecuritySchema } } }, ...errorResponses(401, 503) },
});

export function securityRoutes(services: Services, security: SecurityService) {
  return newRouter().openapi(getSecurity, async (c) => {
    const session = requireSession(c);
    const account = await services.directory.getAccount(session.uid);
    if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
    c.header('Cache-Control', 'no-store');
    return c.json(await security.get(account, session.sid, c.get('clientAddress')), 200);
  });
}
