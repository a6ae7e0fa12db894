import { createRoute } from '@hono/zod-openapi';
import { signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import { ForwardingSettingsSchema, ForwardingViewSchema } from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getForwarding = createRoute({
  method: 'get',
  path: '/forwarding',
  middleware: [signedInAccount] as const,
  summary: 'Where the user’s mail is forwarded',
  responses: { 200: { description: 'The setting', content: json(ForwardingViewSchema) }, ...errorResponses(401, 422, 503) },
});

const putForwarding = createRoute({
  method: 'put',
  path: '/forwarding',
  middleware: [signedInAccount] as const,
  summary: 'Change forwarding; every change leaves a notice in the user’s INBOX',
  description:
    '400 validation, fields: addresses.N ∈ invalid, address_too_long, local_part_too_long, quoted_local_part, source_route, ip_literal, single_label_domain, reserved_domain, invalid_domain, label_hyphen, label_too_long, own_address (also with a +detail), duplicate; addresses: too_many. ' +
    '409 conflict (with current), 409 foreign_script_active, 422 script_rejected, 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(ForwardingSettingsSchema) } },
  responses: { 200: { description: 'The setting afterwards', content: json(ForwardingViewSchema) }, ...errorResponses(400, 401, 409, 422, 428, 503) },
});

export function forwardingRoutes({ forwarding }: Pick<Services, 'forwarding'>) {
  return newRouter()
    .openapi(getForwarding, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await forwarding.get(c.var.account, c.get('clientAddress')), 200);
    })
    .openapi(putForwarding, async (c) => {
      const view = await forwarding.save(c.var.account, c.req.valid('json'), c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}
