import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ApiError } from '../../http/errors';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import type { ReleaseApprovals } from './approvals';
import {
  BulkBodySchema,
  DecisionBodySchema,
  PageQuerySchema,
  ReleaseRequestListSchema,
  BulkOutcomeSchema,
  HeldIdParamSchema,
  HeldListSchema,
  HeldPreviewSchema,
  HeldQuerySchema,
  ReleaseBodySchema,
  ReleaseOutcomeSchema,
} from './schemas';
import type { QuarantineService } from './service';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const listHeld = createRoute({
  method: 'get',
  path: '/quarantine',
  summary: 'Mail the content filter held back for the user, newest first',
  request: { query: HeldQuerySchema },
  responses: { 200: { description: 'One page', content: json(HeldListSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const previewHeld = createRoute({
  method: 'get',
  path: '/quarantine/{id}',
  summary: 'A safe preview of a held message: headers, text, attachment names',
  request: { params: HeldIdParamSchema },
  responses: { 200: { description: 'The preview', content: json(HeldPreviewSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const releaseHeld = createRoute({
  method: 'post',
  path: '/quarantine/{id}/release',
  summary: 'Release a held message to the INBOX, or ask the helpdesk to (viruses, banned files)',
  description: '409 already_released (never delivered twice), 409 already_requested, 502 release_failed (still held).',
  request: { params: HeldIdParamSchema, body: { required: true, content: json(ReleaseBodySchema) } },
  responses: {
    200: { description: 'Released', content: json(ReleaseOutcomeSchema) },
    202: { description: 'Requested: the helpdesk approves it', content: json(ReleaseOutcomeSchema) },
    ...errorResponses(400, 401, 404, 409, 502, 503),
  },
});

const deleteHeld = createRoute({
  method: 'delete',
  path: '/quarantine/{id}',
  summary: 'Delete a held message (it is never delivered)',
  request: { params: HeldIdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404, 409, 503) },
});

const bulkHeld = createRoute({
  method: 'post',
  path: '/quarantine/bulk',
  summary: 'Release or delete several held messages; each id’s outcome is reported',
  request: { body: { required: true, content: json(BulkBodySchema) } },
  responses: { 200: { description: 'What happened to each', content: json(BulkOutcomeSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const listRequests = createRoute({
  method: 'get',
  path: '/quarantine-requests',
  summary: 'Helpdesk: pending release requests of every user, oldest first',
  description: '403 forbidden unless the signed-in user is in quarantine.approverGroup.',
  request: { query: PageQuerySchema },
  responses: { 200: { description: 'One page', content: json(ReleaseRequestListSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
});

const decideRequest = createRoute({
  method: 'post',
  path: '/quarantine-requests/{id}/decision',
  summary: 'Helpdesk: approve (deliver to the user’s INBOX) or refuse a release request, with a reason',
  description: '403 forbidden unless in quarantine.approverGroup, or for one’s own mail; 404 when not pending; 502 release_failed (still pending).',
  request: { params: HeldIdParamSchema, body: { required: true, content: json(DecisionBodySchema) } },
  responses: { 204: { description: 'Decided' }, ...errorResponses(400, 401, 403, 404, 502, 503) },
});

export function quarantineRoutes(services: Services, quarantine: QuarantineService | null, approvals: ReleaseApprovals | null) {
  /** The signed-in user's account and the service, once the site has a quarantine. */
  const signedIn = async <S>(c: Context, service: S | null) => {
    const session = requireSession(c);
    if (!service) throw new ApiError('quarantine_not_configured', 'this site has no content filter quarantine configured');
    const found = await services.directory.getAccount(session.uid);
    if (!found) throw new ApiError('unauthenticated', 'your account no longer exists');
    return { service, account: found };
  };
  const account = (c: Context) => signedIn(c, quarantine);
  const approver = (c: Context) => signedIn(c, approvals);
  return newRouter()
    .openapi(listRequests, async (c) => {
      const { service, account: user } = await approver(c);
      const { page, pageSize } = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      return c.json(await service.list(user, page, pageSize), 200);
    })
    .openapi(decideRequest, async (c) => {
      const { service, account: user } = await approver(c);
      const { decision, reason } = c.req.valid('json');
      await service.decide(user, c.req.valid('param').id, decision, reason, c.get('clientAddress'));
      return c.body(null, 204);
    })
    .openapi(listHeld, async (c) => {
      const { service, account: user } = await account(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await service.list(user, c.req.valid('query')), 200);
    })
    .openapi(bulkHeld, async (c) => {
      const { service, account: user } = await account(c);
      const { action, ids } = c.req.valid('json');
      return c.json(await service.bulk(user, action, ids, c.get('clientAddress')), 200);
    })
    .openapi(previewHeld, async (c) => {
      const { service, account: user } = await account(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await service.preview(user, c.req.valid('param').id), 200);
    })
    .openapi(releaseHeld, async (c) => {
      const { service, account: user } = await account(c);
      const outcome = await service.release(user, c.req.valid('param').id, c.req.valid('json'), c.get('clientAddress'));
      return outcome.status === 'requested' ? c.json(outcome, 202) : c.json(outcome, 200);
    })
    .openapi(deleteHeld, async (c) => {
      const { service, account: user } = await account(c);
      await service.delete(user, c.req.valid('param').id, c.get('clientAddress'));
      return c.body(null, 204);
    });
}
