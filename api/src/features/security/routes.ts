import { createRoute } from '@hono/zod-openapi';
import { signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { SecuritySchema } from './schemas';

const getSecurity = createRoute({
  method: 'get',
  path: '/security',
  summary: 'The Security page in one call: live sessions, sign-ins (30 days), changes to delivery settings, helpdesk looks',
  middleware: [signedInAccount] as const,
  responses: { 200: { description: 'What happened to the account', content: { 'application/json': { schema: SecuritySchema } } }, ...errorResponses(401, 503) },
});

export function securityRoutes({ security }: Pick<Services, 'security'>) {
  return newRouter().openapi(getSecurity, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await security.get(c.var.account, c.var.user.sid, c.get('clientAddress')), 200);
  });
}
