import { createRoute } from '@hono/zod-openapi';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { AliasChangeSchema, AliasesSchema, AliasQuerySchema, AvailabilitySchema, RemoveAliasQuerySchema, SetAliasSchema } from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getAliases = createRoute({
  method: 'get',
  path: '/aliases',
  middleware: [signedIn] as const,
  summary: 'The user’s addresses: login (fixed), default alias (read-only), additional aliases, and the alias policy',
  responses: { 200: { description: 'Addresses', content: json(AliasesSchema) }, ...errorResponses(401, 503) },
});

const putAdditional = createRoute({
  method: 'put',
  path: '/aliases/additional',
  middleware: [signedIn] as const,
  summary: 'Create or change the additional alias',
  description:
    '400 validation, fields.address ∈ required, too_long, too_short, invalid_characters, bad_punctuation, wrong_domain, role_address (a role or system name: postmaster, abuse, mailer-daemon…), own_address, reserved (her name’s first.last form). ' +
    '409 conflict, fields.address ∈ taken (someone has it; also when two users claim it at once), limit, changed (reload), no_default.',
  request: { body: { required: true, content: json(SetAliasSchema) } },
  responses: { 200: { description: 'The addresses afterwards', content: json(AliasChangeSchema) }, ...errorResponses(400, 401, 403, 409, 429, 503) },
});

const deleteAdditional = createRoute({
  method: 'delete',
  path: '/aliases/additional',
  middleware: [signedIn] as const,
  summary: 'Remove an additional alias (the only one when no address is given)',
  request: { query: RemoveAliasQuerySchema },
  responses: { 200: { description: 'The addresses afterwards', content: json(AliasChangeSchema) }, ...errorResponses(400, 401, 403, 404, 409, 503) },
});

const availability = createRoute({
  method: 'get',
  path: '/aliases/availability',
  middleware: [signedIn] as const,
  summary: 'Whether an address could be the user’s additional alias (limited per user per minute)',
  request: { query: AliasQuerySchema },
  responses: { 200: { description: 'The answer', content: json(AvailabilitySchema) }, ...errorResponses(400, 401, 429, 503) },
});

export function aliasRoutes({ aliases }: Pick<Services, 'aliases'>) {
  return newRouter()
    .openapi(getAliases, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await aliases.get(c.var.user.uid), 200);
    })
    .openapi(putAdditional, async (c) => {
      const { address, replace } = c.req.valid('json');
      c.header('Cache-Control', 'no-store');
      return c.json(await aliases.setAdditional(c.var.user.uid, address, replace, c.get('clientAddress')), 200);
    })
    .openapi(deleteAdditional, async (c) => {
      const { address } = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      return c.json(await aliases.removeAdditional(c.var.user.uid, address, c.get('clientAddress')), 200);
    })
    .openapi(availability, async (c) => {
      const { address } = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      return c.json(await aliases.availability(c.var.user.uid, address), 200);
    });
}
