import { createRoute } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { HelpdeskAccess, Member } from './access';
import {
  ActionBodySchema,
  ActionParamSchema,
  DeliveryScreenSchema,
  ExplanationSchema,
  IfMatchSchema,
  ReasonQuerySchema,
  SearchQuerySchema,
  SearchResultSchema,
  TraceQuerySchema,
  UserParamSchema,
  WhoAmISchema,
} from './schemas';
import type { HelpdeskService } from './service';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const ONLY_MEMBERS = '403 forbidden unless the signed-in user is in helpdesk.group or helpdesk.readOnlyGroup.';

const whoAmI = createRoute({
  method: 'get',
  path: '/helpdesk/me',
  summary: 'Helpdesk: what the signed-in member may do',
  description: ONLY_MEMBERS,
  responses: { 200: { description: 'The member', content: json(WhoAmISchema) }, ...errorResponses(401, 403, 404) },
});

const searchUsers = createRoute({
  method: 'get',
  path: '/helpdesk/users',
  summary: 'Helpdesk: find users by login, address or alias, or name (any case, accents optional)',
  description: `${ONLY_MEMBERS} The member is never in the results. At most 20, best first.`,
  request: { query: SearchQuerySchema },
  responses: { 200: { description: 'Matches', content: json(SearchResultSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
});

const readDelivery = createRoute({
  method: 'get',
  path: '/helpdesk/users/{uid}/delivery',
  summary: 'Helpdesk: one user’s delivery, read-only (recorded on their Security page with the reason)',
  description: `${ONLY_MEMBERS} 403 helpdesk_own_account for one’s own; 404 for anyone outside the people base.`,
  request: { params: UserParamSchema, query: ReasonQuerySchema },
  responses: { 200: { description: 'The screen', content: json(DeliveryScreenSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
});

const explainMessages = createRoute({
  method: 'get',
  path: '/helpdesk/users/{uid}/messages',
  summary: 'Helpdesk: what became of a user’s mail in a window (filter verdict, Sieve outcome), headers only',
  description: `${ONLY_MEMBERS} The window is required and at most 7 days (window_unbounded, window_reversed, window_too_long).`,
  request: { params: UserParamSchema, query: TraceQuerySchema },
  responses: { 200: { description: 'The explanation', content: json(ExplanationSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
});

const actOnBehalf = createRoute({
  method: 'post',
  path: '/helpdesk/users/{uid}/actions/{action}',
  summary: 'Helpdesk: act on a user’s behalf (vacation off, remove a forward, empty SPAM), with a reason',
  description: `${ONLY_MEMBERS} Read-only members and actions not in helpdesk.allowedActions: 403. vacation-off and remove-forward need If-Match (428, 409 as the user’s own saves); empty-spam sends the folder as shown (409 when it changed).`,
  request: { params: ActionParamSchema, headers: IfMatchSchema, body: { required: true, content: json(ActionBodySchema) } },
  responses: { 204: { description: 'Done; the user finds a note in their INBOX' }, ...errorResponses(400, 401, 403, 404, 409, 428, 503) },
});

/**
 * Routes stay thin: membership is checked once for every /helpdesk path, before any input is
 * read, so whoever is not a member learns nothing but 403.
 */
export function helpdeskRoutes(access: HelpdeskAccess, helpdesk: HelpdeskService) {
  const router = newRouter();
  router.use('/helpdesk/*', async (c: Context, next: Next) => {
    c.set('helpdeskMember', await access.member(requireSession(c).uid));
    await next();
  });
  const member = (c: Context) => c.get('helpdeskMember') as Member;
  return router
    .openapi(whoAmI, (c) => c.json(helpdesk.whoAmI(member(c)) as { may: 'act' | 'look'; actions: Array<'vacation-off' | 'remove-forward' | 'empty-spam'> }, 200))
    .openapi(searchUsers, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await helpdesk.search(member(c), c.req.valid('query').q), 200);
    })
    .openapi(readDelivery, async (c) => {
      c.header('Cache-Control', 'no-store');
      const result = await helpdesk.delivery(member(c), c.req.valid('param').uid, c.req.valid('query').reason, c.get('clientAddress'));
      return c.json(result as unknown as { user: { uid: string; displayName: string }; screen: Record<string, unknown> }, 200);
    })
    .openapi(explainMessages, async (c) => {
      c.header('Cache-Control', 'no-store');
      const { reason, ...window } = c.req.valid('query');
      const result = await helpdesk.explain(member(c), c.req.valid('param').uid, window, reason, c.get('clientAddress'));
      return c.json(result as unknown as { messages: Array<Record<string, unknown>>; cannotShow: string[] }, 200);
    })
    .openapi(actOnBehalf, async (c) => {
      const { uid, action } = c.req.valid('param');
      const body = c.req.valid('json');
      await helpdesk.act(member(c), uid, action, { ...body, ifMatch: c.req.valid('header')['if-match'] }, c.get('clientAddress'));
      return c.body(null, 204);
    });
}
