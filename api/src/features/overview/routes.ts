import { createRoute, z } from '@hono/zod-openapi';
import { signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { SpamDeliverySchema } from '../spam/schemas';

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
    unavailable: z.array(z.enum(['quota', 'script', 'lists', 'held'])).openapi({ description: 'Parts that could not be read just now' }),
  })
  .openapi('Overview');

const getOverview = createRoute({
  method: 'get',
  path: '/overview',
  middleware: [signedInAccount] as const,
  summary: 'The landing page in one call: quota, vacation, forwarding, spam, filters, addresses, lists',
  responses: { 200: { description: 'The overview', content: { 'application/json': { schema: OverviewSchema } } }, ...errorResponses(401, 503) },
});

export function overviewRoutes({ overview }: Pick<Services, 'overview'>) {
  return newRouter().openapi(getOverview, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await overview.get(c.var.account, c.get('clientAddress')), 200);
  });
}
