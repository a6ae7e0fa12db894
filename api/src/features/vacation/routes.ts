import { createRoute } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema, VacationSettingsSchema, VacationViewSchema } from './schemas';
import type { VacationService } from './service';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getVacation = createRoute({
  method: 'get',
  path: '/vacation',
  summary: 'The vacation (out-of-office) reply',
  responses: { 200: { description: 'The setting', content: json(VacationViewSchema) }, ...errorResponses(401, 422, 503) },
});

const putVacation = createRoute({
  method: 'put',
  path: '/vacation',
  summary: 'Change the vacation reply',
  description:
    '400 validation, fields: required, too_long, invalid, out_of_range, line_break (subject), not_own_address (from), end_before_start, end_in_past, ' +
    'vacation_elsewhere (enabled: the user’s own Sieve already replies). ' +
    '409 conflict (changed elsewhere; `current` holds the state now), 409 foreign_script_active, 422 script_rejected, 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(VacationSettingsSchema) } },
  responses: { 200: { description: 'The setting afterwards', content: json(VacationViewSchema) }, ...errorResponses(400, 401, 409, 422, 428, 503) },
});

export function vacationRoutes(services: Services, vacation: VacationService) {
  const account = async (uid: string) => {
    const found = await services.directory.getAccount(uid);
    if (!found) throw new ApiError('unauthenticated', 'your account no longer exists');
    return found;
  };
  return newRouter()
    .openapi(getVacation, async (c) => {
      const session = requireSession(c);
      c.header('Cache-Control', 'no-store');
      return c.json(await vacation.get(await account(session.uid), c.get('clientAddress')), 200);
    })
    .openapi(putVacation, async (c) => {
      const session = requireSession(c);
      const body = c.req.valid('json');
      const view = await vacation.save(await account(session.uid), body, c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}
