import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError } from './errors';

/**
 * A router whose request validation failures become one `validation` error with a code per
 * field. Schemas give their issues short codes as messages (`required`, `too_long`, …): the
 * SPA translates codes, people never see zod's prose.
 */
export function newRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      const fields: Record<string, string> = {};
      for (const issue of result.error.issues) {
        const field = issue.path.join('.') || '(body)';
        fields[field] ??= /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid';
      }
      const summary = Object.entries(fields).map(([f, code]) => `${f}: ${code}`).join(', ');
      throw new ApiError('validation', `invalid request: ${summary}`, { fields });
    },
  });
}

export const ErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'invalid_credentials' }),
    message: z.string(),
    requestId: z.string(),
    retryAfter: z.number().int().optional(),
    fields: z.record(z.string(), z.string()).optional(),
  })
  .openapi('Error');

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]),
  );
}
