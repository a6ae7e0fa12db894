import { createRoute } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
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

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const listHeld = createRoute({
  method: 'get',
  path: '/quarantine',
  middleware: [signedInAccount] as const,
  summary: 'Mail the content filter held back for the user, newest first',
  request: { query: HeldQuerySchema },
  responses: { 200: { description: 'One page', content: json(HeldListSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const previewHeld = createRoute({
  method: 'get',
  path: '/quarantine/{id}',
  middleware: [signedInAccount] as const,
  summary: 'A safe preview of a held message: headers, text, attachment names',
  request: { params: HeldIdParamSchema },
  responses: { 200: { description: 'The preview', content: json(HeldPreviewSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const releaseHeld = createRoute({
  method: 'post',
  path: '/quarantine/{id}/release',
  middleware: [signedInAccount] as const,
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
  middleware: [signedInAccount] as const,
  summary: 'Delete a held message (it is never delivered)',
  request: { params: HeldIdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404, 409, 503) },
});

const bulkHeld = createRoute({
  method: 'post',
  path: '/quarantine/bulk',
  middleware: [signedInAccount] as const,
  summary: 'Release or delete several held messages; each id’s outcome is reported',
  request: { body: { required: true, content: json(BulkBodySchema) } },
  responses: { 200: { description: 'What happened to each', content: json(BulkOutcomeSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const listRequests = createRoute({
  method: 'get',
  path: '/quarantine-requests',
  middleware: [signedInAccount] as const,
  summary: 'Helpdesk: pending release requests of every user, oldest first',
  description: '403 forbidden unless the signed-in user is in quarantine.approverGroup.',
  request: { query: PageQuerySchema },
  responses: { 200: { description: 'One page', content: json(ReleaseRequestListSchema) }, ...errorResponses(400, 401, 403, 404, 503) },
});

const decideRequest = createRoute({
  method: 'post',
  path: '/quarantine-requests/{id}/decision',
  middleware: [signedInAccount] as const,
  summary: 'Helpdesk: approve (deliver to the user’s INBOX) or refuse a release request, with a reason',
  description: '403 forbidden unless in quarantine.approverGroup, or for one’s own mail; 404 when not pending; 502 release_failed (still pending).',
  request: { params: HeldIdParamSchema, body: { required: true, content: json(DecisionBodySchema) } },
  responses: { 204: { description: 'Decided' }, ...errorResponses(400, 401, 403, 404, 502, 503) },
});

/** The service, once the site has a quarantine: 404 `quarantine_not_configured` otherwise. */
function configured<S>(service: S | null): S {
  if (!service) throw new ApiError('quarantine_not_configured', 'this site has no content filter quarantine configured');
  return service;
}

export function quarantineRoutes({ heldMail, releaseApprovals }: Pick<Services, 'heldMail' | 'releaseApprovals'>) {
  return newRouter()
    .openapi(listRequests, async (c) => {
      const { page, pageSize } = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      return c.json(await configured(releaseApprovals).list(c.var.account, page, pageSize), 200);
    })
    .openapi(decideRequest, async (c) => {
      const { decision, reason } = c.req.valid('json');
      await configured(releaseApprovals).decide(c.var.account, c.req.valid('param').id, decision, reason, c.get('clientAddress'));
      return c.body(null, 204);
    })
    .openapi(listHeld, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await configured(heldMail).list(c.var.account, c.req.valid('query')), 200);
    })
    .openapi(bulkHeld, async (c) => {
      const { action, ids } = c.req.valid('json');
      return c.json(await configured(heldMail).bulk(c.var.account, action, ids, c.get('clientAddress')), 200);
    })
    .openapi(previewHeld, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await configured(heldMail).preview(c.var.account, c.req.valid('param').id), 200);
    })
    .openapi(releaseHeld, async (c) => {
      const outcome = await configured(heldMail).release(c.var.account, c.req.valid('param').id, c.req.valid('json'), c.get('clientAddress'));
      return outcome.status === 'requested' ? c.json(outcome, 202) : c.json(outcome, 200);
    })
    .openapi(deleteHeld, async (c) => {
      await configured(heldMail).delete(c.var.account, c.req.valid('param').id, c.get('clientAddress'));
      return c.body(null, 204);
    });
}
