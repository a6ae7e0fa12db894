import { z } from '@hono/zod-openapi';

/** What every view of a setting kept in the user's Sieve script says about the script itself. */
export const ScriptStatusFields = {
  etag: z.string().openapi({ description: 'Send back in If-Match when saving' }),
  handEdited: z.boolean().openapi({ description: 'The block was changed outside the app; saving replaces it' }),
  foreignScript: z.object({ name: z.string() }).nullable().openapi({ description: 'Another Sieve script is active: take it over before saving' }),
};
