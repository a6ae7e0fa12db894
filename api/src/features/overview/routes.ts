import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { SpamDeliverySchema } from '../spam/schemas';
import { MailExitSchema } from '../exits/schemas';
import type { OverviewService } from './service';

const Usage = z.object({ used: z.number(), limit: z.number(), percent: z.number().nullable() });
const OverviewSchema = z
  .object({
    uid: z.string(),
    displayName: z.string(),
    addresses: z.array(z.object({ address: z.string(), kind: z.enum(['login', 'default', 'alias']) })),
    quota: z
      .object({
        storage: z.object({ usedBytes: z.number(), limitBytes: z.number(), percent: z.number().nullable() }).nullable(),
        messages: Usage.nullable(),
        percent: z.number().nullable(),
        warningLevel: z.number(),
        full: z.boolean(),
      })
      .nullable(),
    vacation: z
      .object({ enabled: z.boolean(), start: z.string().nullable(), end: z.string().nullable(), timeZone: z.string(), endsInDays: z.number().nullable() })
      .nullable(),
    forwarding: z.object({ addresses: z.array(z.string()), keepCopy: z.boolean() }).nullable(),
    spam: z.object({ level: z.string(), threshold: z.number().nullable(), delivery: SpamDeliverySchema }).nullable(),
    filters: z.object({ rules: z.number(), custom: z.number() }).nullable(),
    lists: z.array(z.object({ cn: z.string(), mail: z.string().nullable() })).nullable(),
    foreignScript: z.object({ name: z.string() }).nullable(),
    held: z
      .object({ total: z.number().int(), lastWeek: z.number().int() })
      .nullable()
      .openapi({ description: 'Mail the content filter held back (all, and in the last 7 days); null when the site shows none' }),
    exits: z
      .object({ items: z.array(MailExitSchema), limit: z.number().int(), counted: z.number().int() })
      .nullable()
      .openapi({ description: 'Every way mail leaves the account (GET /api/exits); null when it could not be read' }),
    openAlerts: z.number().int().openapi({ description: 'Alerts not answered yet (GET /api/security/alerts)' }),
    unavailable: z.array(z.enum(['quota', 'script', 'lists', 'held'])).openapi({ description: 'Parts that could not be read just now' }),
  })
  .openapi('Overview');

const getOverview = createRoute({
  method: 'get',
  path: '/overview',
  summary: 'The landing page in one call: quota, vacation, forwarding, spam, filters, addresses, lists',
  responses: { 200: { description: 'The overview', content: { 'application/json': { schema: OverviewSchema } } }, ...errorResponses(401, 503) },
});

export function overviewRoutes(services: Services, overview: OverviewService) {
  return newRouter().openapi(getOverview, async (c) => {
    const session = requireSession(c);
    const account = await services.directory.getAccount(session.uid).catch(() => {
      throw new ApiError('directory_unavailable', 'the directory (LDAP) is not answering; try again in a few minutes');
    });
    if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
    c.header('Cache-Control', 'no-store');
    return c.json(await overview.get(account, c.get('clientAddress')), 200);
  });
}
