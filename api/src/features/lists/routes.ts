import { createRoute, z } from '@hono/zod-openapi';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';

const ListsSchema = z
  .object({
    lists: z.array(
      z.object({
        cn: z.string().openapi({ example: 'seminar-list' }),
        description: z.string().nullable(),
        mail: z.string().nullable().openapi({ description: 'The list’s address, when it has one' }),
      }),
    ),
  })
  .openapi('Lists');

const getLists = createRoute({
  method: 'get',
  path: '/lists',
  middleware: [signedIn] as const,
  summary: 'The groups and mailing lists (groupOfUniqueNames) the user is a member of',
  responses: { 200: { description: 'By name', content: { 'application/json': { schema: ListsSchema } } }, ...errorResponses(401, 503) },
});

export function listRoutes({ directory }: Pick<Services, 'directory'>) {
  return newRouter().openapi(getLists, async (c) => {
    // The DN is the one the directory gave at sign-in (sealed in the session), never input.
    const groups = await directory.groupsOfMember(c.var.user.dn);
    c.header('Cache-Control', 'no-store');
    return c.json({ lists: groups.map(({ cn, description, mail }) => ({ cn, description, mail })) }, 200);
  });
}

export type Lists = z.infer<typeof ListsSchema>;
