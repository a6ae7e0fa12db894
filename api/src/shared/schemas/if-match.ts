import { z } from '@hono/zod-openapi';

/** The request header every save of a versioned setting carries: the ETag of what the user changed. */
export const IfMatchHeaderSchema = z.object({
  'if-match': z.string().max(200).optional().openapi({ description: 'The etag of the version being changed (required)' }),
});
