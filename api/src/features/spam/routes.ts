import { createRoute } from '@hono/zod-openapi';
import { signedIn, signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import { SpamSettingsSchema, SpamViewSchema } from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getSpam = createRoute({
  method: 'get',
  path: '/spam',
  middleware: [signedIn] as const,
  summary: 'Spam threshold, folder, and the sender allow and block lists',
  responses: { 200: { description: 'The setting', content: json(SpamViewSchema) }, ...errorResponses(401, 422, 503) },
});

const putSpam = createRoute({
  method: 'put',
  path: '/spam',
  middleware: [signedInAccount] as const,
  summary: 'Change the spam setting',
  description:
    '400 validation, fields: required, not_a_number, out_of_range (threshold, discardAbove), below_scale (threshold: every message would match), discard_below_threshold, too_many, ' +
    'allow.N / block.N: not_address_or_domain, duplicate. 409 conflict (with current), 409 foreign_script_active, 422 script_rejected, 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(SpamSettingsSchema) } },
  responses: { 200: { description: 'The setting afterwards', content: json(SpamViewSchema) }, ...errorResponses(400, 401, 409, 422, 428, 503) },
});

export function spamRoutes({ spam }: Pick<Services, 'spam'>) {
  return newRouter()
    .openapi(getSpam, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await spam.get(c.var.user.uid, c.get('clientAddress')), 200);
    })
    .openapi(putSpam, async (c) => {
      const view = await spam.save(c.var.account, c.req.valid('json'), c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}
