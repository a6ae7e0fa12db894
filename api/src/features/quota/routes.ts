import { createRoute, z } from '@hono/zod-openapi';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { EMPTYABLE } from './types';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const Folder = z.enum(EMPTYABLE, { error: 'invalid' }).openapi({ description: 'SPAM or Junk (by name: the spam page files into either) or Trash (by special use \\Trash)' });

const QuotaSchema = z
  .object({
    storage: z
      .object({ usedBytes: z.number().int(), limitBytes: z.number().int(), percent: z.number().nullable() })
      .nullable()
      .openapi({ description: 'Null when the server sets no storage limit. Dovecot counts KiB: bytes are multiples of 1024' }),
    messages: z.object({ used: z.number().int(), limit: z.number().int(), percent: z.number().nullable() }).nullable(),
    percent: z.number().nullable().openapi({ description: 'The fuller resource, one decimal, rounded down; may pass 100 (grace)' }),
    warningLevel: z.union([z.literal(0), z.literal(80), z.literal(90), z.literal(95)]).openapi({ description: '0 = no warning' }),
    full: z.boolean().openapi({ description: 'At or over a limit: new mail is refused until space is freed' }),
    folders: z.array(
      z.object({ path: z.string(), name: z.string(), specialUse: z.string().nullable(), messages: z.number().int(), bytes: z.number().int() }),
    ),
    folderSizes: z.enum(['status-size', 'fetch']),
  })
  .openapi('Quota');

const PreviewSchema = z
  .object({
    folder: Folder,
    path: z.string(),
    messages: z.number().int(),
    bytes: z.number().int(),
    uidValidity: z.string().openapi({ description: 'Send back with POST /quota/empty' }),
    uidNext: z.number().int().openapi({ description: 'Send back with POST /quota/empty' }),
  })
  .openapi('EmptyPreview');

const EmptyRequestSchema = z
  .object({
    folder: Folder,
    expectedMessages: z.number({ error: 'required' }).int({ error: 'invalid' }).min(0, { error: 'invalid' }).max(10_000_000, { error: 'invalid' }),
    uidValidity: z.string({ error: 'required' }).regex(/^[1-9][0-9]{0,19}$/, { error: 'invalid' }),
    uidNext: z.number({ error: 'required' }).int({ error: 'invalid' }).min(1, { error: 'invalid' }).max(4_294_967_296, { error: 'invalid' }),
  })
  .strict()
  .openapi('EmptyFolder');

const EmptyResultSchema = z
  .object({
    folder: Folder,
    deleted: z.number().int(),
    expected: z.number().int(),
    alreadyGone: z.number().int().openapi({ description: 'Shown but already gone' }),
    arrivedSince: z.number().int().openapi({ description: 'Arrived after the preview: kept (tell the user)' }),
    remaining: z.number().int(),
  })
  .openapi('EmptyResult');

const getQuota = createRoute({
  method: 'get',
  path: '/quota',
  middleware: [signedIn] as const,
  summary: 'Storage and message-count usage and limits, warning level, and every folder’s size (largest first)',
  responses: { 200: { description: 'Quota', content: json(QuotaSchema) }, ...errorResponses(401, 503) },
});

const getPreview = createRoute({
  method: 'get',
  path: '/quota/empty-preview',
  middleware: [signedIn] as const,
  summary: 'What emptying SPAM or Trash would delete: count, bytes, and the values to confirm with',
  request: { query: z.object({ folder: Folder.openapi({ param: { name: 'folder', in: 'query' } }) }) },
  responses: { 200: { description: 'Preview', content: json(PreviewSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const postEmpty = createRoute({
  method: 'post',
  path: '/quota/empty',
  middleware: [signedIn] as const,
  summary: 'Deletes exactly the messages the preview showed; newer ones are kept and counted',
  description: '409 conflict with fields.folder = changed when the folder was recreated (uidValidity) or the confirmation does not match it.',
  request: { body: { required: true, content: json(EmptyRequestSchema) } },
  responses: { 200: { description: 'Done', content: json(EmptyResultSchema) }, ...errorResponses(400, 401, 403, 404, 409, 503) },
});

export function quotaRoutes({ quota }: Pick<Services, 'quota'>) {
  return newRouter()
    .openapi(getQuota, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await quota.report(c.var.user.uid, c.get('clientAddress')), 200);
    })
    .openapi(getPreview, async (c) => {
      const { folder } = c.req.valid('query');
      c.header('Cache-Control', 'no-store');
      return c.json(await quota.preview(c.var.user.uid, folder, c.get('clientAddress')), 200);
    })
    .openapi(postEmpty, async (c) => {
      const body = c.req.valid('json');
      c.header('Cache-Control', 'no-store');
      return c.json(await quota.empty(c.var.user.uid, body, c.get('clientAddress')), 200);
    });
}

export type EmptyFolderRequest = z.infer<typeof EmptyRequestSchema>;
