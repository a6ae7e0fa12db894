import { createRoute } from '@hono/zod-openapi';
import { signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import { VacationSettingsSchema, VacationViewSchema } from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getVacation = createRoute({
  method: 'get',
  path: '/vacation',
  middleware: [signedInAccount] as const,
  summary: 'The vacation (out-of-office) reply',
  responses: { 200: { description: 'The setting', content: json(VacationViewSchema) }, ...errorResponses(401, 422, 503) },
});

const putVacation = createRoute({
  method: 'put',
  path: '/vacation',
  middleware: [signedInAccount] as const,
  summary: 'Change the vacation reply',
  description:
    '400 validation, fields: required, too_long, invalid, out_of_range, line_break (subject), not_own_address (from), end_before_start, end_in_past, ' +
    'vacation_elsewhere (enabled: the user’s own Sieve already replies). ' +
    '409 conflict (changed elsewhere; `current` holds the state now), 409 foreign_script_active, 422 script_rejected, 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(VacationSettingsSchema) } },
  responses: { 200: { description: 'The setting afterwards', content: json(VacationViewSchema) }, ...errorResponses(400, 401, 409, 422, 428, 503) },
});

export function vacationRoutes({ vacation }: Pick<Services, 'vacation'>) {
  return newRouter()
    .openapi(getVacation, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await vacation.get(c.var.account, c.get('clientAddress')), 200);
    })
    .openapi(putVacation, async (c) => {
      const view = await vacation.save(c.var.account, c.req.valid('json'), c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}
