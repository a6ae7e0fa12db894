import { createRoute } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../vacation/schemas';
import { SpamSettingsSchema, SpamViewSchema } from './schemas';
import type { SpamService } from './service';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getSpam = createRoute({
  method: 'get',
  path: '/spam',
  summary: 'Spam threshold, folder, and the sender allow and block lists',
  responses: { 200: { description: 'The setting', content: json(SpamViewSchema) }, ...errorResponses(401, 422, 503) },
});

const putSpam = createRoute({
  method: 'put',
  path: '/spam',
  summary: 'Change the spam setting',
  description:
    '400 validation, fields: required, not_a_number, out_of_range (threshold, discardAbove), below_scale (threshold: every message would match), discard_below_threshold, too_many, ' +
    'allow.N / block.N: not_address_or_domain, duplicate. 409 conflict (with current), 409 foreign_script_active, 422 script_rejected, 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(SpamSettingsSchema) } },
  responses: { 200: { description: 'The setting afterwards', content: json(SpamViewSchema) }, ...errorResponses(400, 401, 409, 422, 428, 503) },
});

export function spamRoutes(services: Services, spam: SpamService) {
  return newRouter()
    .openapi(getSpam, async (c) => {
      const session = requireSession(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await spam.get(session.uid, c.get('clientAddress')), 200);
    })
    .openapi(putSpam, async (c) => {
      const session = requireSession(c);
      const account = await services.directory.getAccount(session.uid);
      if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
      const view = await spam.save(account, c.req.valid('json'), c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}
