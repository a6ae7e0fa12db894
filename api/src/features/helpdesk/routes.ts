import { createRoute } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { signedInAccount, type SignedInAccountEnv } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import type { Services } from '../../services';
import type { HelpdeskAccess, Member } from './access';
import {
  ActionBodySchema,
  ActionParamSchema,
  DeliveryScreenSchema,
  ExplanationSchema,
  ReasonQuerySchema,
  SearchQuerySchema,
  SearchResultSchema,
  TraceQuerySchema,
  UserParamSchema,
  WhoAmISchema,
} from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const ONLY_MEMBERS = '403 forbidden unless the signed-in user is in helpdesk.group or helpdesk.readOnlyGroup.';

type MemberEnv = { Variables: SignedInAccountEnv['Variables'] & { member: Member } };

/** The signed-in account as a helpdesk member, checked before any input is read: whoever is not one learns nothing but 403. */
function helpdeskMember(access: HelpdeskAccess) {
  return createMiddleware<MemberEnv>(async function helpdeskMemberMiddleware(c, next) {
    c.set('member', await access.member(c.var.account));
    await next();
  });
}

/** Routes stay thin: parse, call the helpdesk service, answer. */
export function helpdeskRoutes({ helpdesk, helpdeskAccess }: Pick<Services, 'helpdesk' | 'helpdeskAccess'>) {
  const member = helpdeskMember(helpdeskAccess);

  const whoAmI = createRoute({
    method: 'get',
    path: '/helpdesk/me',
    middleware: [signedInAccount, member] as const,
    summary: 'Helpdesk: what the signed-in member may do',
    description: ONLY_MEMBERS,
    responses: { 200: { description: 'The member', content: json(WhoAmISchema) }, ...errorResponses(401, 403, 404) },
  });

  const searchUsers = createRoute({
    method: 'get',
    path: '/helpdesk/users',
    middleware: [signedInAccount, member] as const,
    summary: 'Helpdesk: find users by login, address or alias, or name (any case, accents optional)',
    description: `${ONLY_MEMBERS} The member is never in the results. At most 20, best first.`,
    request: { query: SearchQuerySchema },
    responses: { 200: { description: 'Matches', content: json(SearchResultSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
  });

  const readDelivery = createRoute({
    method: 'get',
    path: '/helpdesk/users/{uid}/delivery',
    middleware: [signedInAccount, member] as const,
    summary: 'Helpdesk: one user’s delivery, read-only (recorded on their Security page with the reason)',
    description: `${ONLY_MEMBERS} 403 helpdesk_own_account for one’s own; 404 for anyone outside the people base.`,
    request: { params: UserParamSchema, query: ReasonQuerySchema },
    responses: { 200: { description: 'The screen', content: json(DeliveryScreenSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
  });

  const explainMessages = createRoute({
    method: 'get',
    path: '/helpdesk/users/{uid}/messages',
    middleware: [signedInAccount, member] as const,
    summary: 'Helpdesk: what became of a user’s mail in a window (filter verdict, Sieve outcome), headers only',
    description: `${ONLY_MEMBERS} The window is required and at most 7 days (window_unbounded, window_reversed, window_too_long).`,
    request: { params: UserParamSchema, query: TraceQuerySchema },
    responses: { 200: { description: 'The explanation', content: json(ExplanationSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
  });

  const actOnBehalf = createRoute({
    method: 'post',
    path: '/helpdesk/users/{uid}/actions/{action}',
    middleware: [signedInAccount, member] as const,
    summary: 'Helpdesk: act on a user’s behalf (vacation off, remove a forward, empty SPAM), with a reason',
    description: `${ONLY_MEMBERS} Read-only members and actions not in helpdesk.allowedActions: 403. vacation-off and remove-forward need If-Match (428, 409 as the user’s own saves); empty-spam sends the folder as shown (409 when it changed).`,
    request: { params: ActionParamSchema, headers: IfMatchHeaderSchema, body: { required: true, content: json(ActionBodySchema) } },
    responses: { 204: { description: 'Done; the user finds a note in their INBOX' }, ...errorResponses(400, 401, 403, 404, 409, 428, 503) },
  });

  return newRouter()
    .openapi(whoAmI, (c) => c.json(helpdesk.whoAmI(c.var.member) as { may: 'act' | 'look'; actions: Array<'vacation-off' | 'remove-forward' | 'empty-spam'> }, 200))
    .openapi(searchUsers, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await helpdesk.search(c.var.member, c.req.valid('query').q), 200);
    })
    .openapi(readDelivery, async (c) => {
      c.header('Cache-Control', 'no-store');
      const result = await helpdesk.delivery(c.var.member, c.req.valid('param').uid, c.req.valid('query').reason, c.get('clientAddress'));
      return c.json(result as unknown as { user: { uid: string; displayName: string }; screen: Record<string, unknown> }, 200);
    })
    .openapi(explainMessages, async (c) => {
      c.header('Cache-Control', 'no-store');
      const { reason, ...window } = c.req.valid('query');
      const result = await helpdesk.explain(c.var.member, c.req.valid('param').uid, window, reason, c.get('clientAddress'));
      return c.json(result as unknown as { messages: Array<Record<string, unknown>>; cannotShow: string[] }, 200);
    })
    .openapi(actOnBehalf, async (c) => {
      const { uid, action } = c.req.valid('param');
      const body = c.req.valid('json');
      await helpdesk.act(c.var.member, uid, action, { ...body, ifMatch: c.req.valid('header')['if-match'] }, c.get('clientAddress'));
      return c.body(null, 204);
    });
}
