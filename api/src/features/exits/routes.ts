import { createRoute } from '@hono/zod-openapi';
import { signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import { AlertParams, AlertsViewSchema, EmptyBodySchema, ExitsViewSchema, NotMeResultSchema } from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getExits = createRoute({
  middleware: [signedInAccount] as const,
  method: 'get',
  path: '/exits',
  summary: 'Every way mail leaves the account (forwarding, filter actions, other Sieve, the directory) and the limit they share',
  responses: { 200: { description: 'The exits', content: json(ExitsViewSchema) }, ...errorResponses(401, 503) },
});

const getAlerts = createRoute({
  middleware: [signedInAccount] as const,
  method: 'get',
  path: '/security/alerts',
  summary: 'Alerts: mail started leaving the account, or an auto-reply’s From changed (newest first)',
  responses: { 200: { description: 'The alerts', content: json(AlertsViewSchema) }, ...errorResponses(401, 503) },
});

const notMe = createRoute({
  middleware: [signedInAccount] as const,
  method: 'post',
  path: '/security/alerts/{id}/not-me',
  summary: '“This wasn’t me”: ends every other session and removes the exit the alert names (nothing else)',
  description: 'If-Match: the etag of GET /security/alerts. 404 alert_not_found; 409 conflict (the settings changed since: nothing done); 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, params: AlertParams, body: { required: true, content: json(EmptyBodySchema) } },
  responses: { 200: { description: 'Done', content: json(NotMeResultSchema) }, ...errorResponses(400, 401, 404, 409, 422, 428, 503) },
});

const acknowledge = createRoute({
  middleware: [signedInAccount] as const,
  method: 'post',
  path: '/security/alerts/{id}/acknowledge',
  summary: '“That was me”: marks the alert seen, changes nothing else',
  request: { params: AlertParams, body: { required: true, content: json(EmptyBodySchema) } },
  responses: { 200: { description: 'The alerts afterwards', content: json(AlertsViewSchema) }, ...errorResponses(400, 401, 404, 503) },
});

export function exitsRoutes({ exits, alerts }: Pick<Services, 'exits' | 'alerts'>) {
  return newRouter()
    .openapi(getExits, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await exits.list(c.var.account, c.get('clientAddress')), 200);
    })
    .openapi(getAlerts, async (c) => {
      c.header('Cache-Control', 'no-store');
      const view = await alerts.list(c.var.account, c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(notMe, async (c) => {
      const result = await alerts.notMe(c.var.account, c.var.user.sid, c.req.valid('param').id, c.req.valid('header')['if-match'], c.get('clientAddress'));
      return c.json(result, 200);
    })
    .openapi(acknowledge, async (c) => {
      return c.json(await alerts.acknowledge(c.var.account, c.req.valid('param').id, c.get('clientAddress')), 200);
    });
}
