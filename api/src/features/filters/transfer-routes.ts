import { createRoute, z } from '@hono/zod-openapi';
import { signedIn, signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import { FiltersViewSchema } from './schemas';
import { ImportFileSchema, ImportPreviewSchema } from './transfer-schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const FILE_CODES =
  'fields.file: empty | too_large (1 MiB or more) | binary (NUL or other control bytes) | not_utf8 | no_filters | too_many (over 500) | invalid (not base64); ' +
  'line_break | encoded_word | invalid_address | not_own_address (a vacation :from that is not the user’s own; errors: [{line, message}]); fields.text: too_many_redirects | own_address | … (a redirect the forwarding page would refuse). ' +
  '422 script_rejected: our parser or the server (CHECKSCRIPT/PUTSCRIPT) refused it, errors: [{line, column?, message}], or a folder name with invisible characters.';

const exportFilters = createRoute({
  method: 'get',
  path: '/filters/export',
  middleware: [signedIn] as const,
  summary: 'The user’s filters as a .sieve file to download (not vacation, spam, forwarding or sender lists)',
  responses: { 200: { description: 'The Sieve script', content: { 'application/sieve': { schema: z.string() } } }, ...errorResponses(401, 422, 503) },
});

const previewImport = createRoute({
  method: 'post',
  path: '/filters/import/preview',
  middleware: [signedInAccount] as const,
  summary: 'What importing a .sieve file would change; nothing is stored',
  description: `The file’s rules and custom blocks would replace the user’s filters; the app’s sections stay. 400 validation, ${FILE_CODES}`,
  request: { body: { required: true, content: json(ImportFileSchema) } },
  responses: { 200: { description: 'The preview', content: json(ImportPreviewSchema) }, ...errorResponses(400, 401, 413, 422, 503) },
});

const importFilters = createRoute({
  method: 'post',
  path: '/filters/import',
  middleware: [signedInAccount] as const,
  summary: 'Replace the user’s filters with those of a .sieve file (after the preview)',
  description: `If-Match: the preview’s etag. 409 conflict (the filters changed since; current: the filters now), 428 precondition_required. 400 validation, ${FILE_CODES}`,
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(ImportFileSchema) } },
  responses: { 200: { description: 'The filters afterwards', content: json(FiltersViewSchema) }, ...errorResponses(400, 401, 409, 413, 422, 428, 503) },
});

const bytesOf = (base64: string): Uint8Array => Buffer.from(base64, 'base64');

export function filterTransferRoutes({ filterTransfer }: Pick<Services, 'filterTransfer'>) {
  return newRouter()
    .openapi(exportFilters, async (c) => {
      const { text, filename } = await filterTransfer.exportFile(c.var.user.uid, c.get('clientAddress'));
      c.header('Cache-Control', 'no-store');
      c.header('Content-Disposition', `attachment; filename="${filename}"`);
      return c.body(text, 200, { 'Content-Type': 'application/sieve; charset=utf-8' }) as never;
    })
    .openapi(previewImport, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await filterTransfer.preview(c.var.account, bytesOf(c.req.valid('json').file), c.get('clientAddress')), 200);
    })
    .openapi(importFilters, async (c) => {
      const view = await filterTransfer.save(c.var.account, bytesOf(c.req.valid('json').file), c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}
