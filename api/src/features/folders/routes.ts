import { createRoute, z } from '@hono/zod-openapi';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { FOLDER_MAX_BYTES } from './names';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const FolderSchema = z
  .object({
    path: z.string().openapi({ description: 'UTF-8 (decoded from IMAP’s modified UTF-7); what a rule’s fileinto takes' }),
    name: z.string(),
    delimiter: z.string(),
    specialUse: z.string().nullable().openapi({ example: '\\Junk' }),
    subscribed: z.boolean(),
  })
  .openapi('Folder');

const CreateFolderSchema = z
  .object({
    name: z.string({ error: 'required' }).max(FOLDER_MAX_BYTES, { error: 'too_long' }).openapi({ example: 'Εργασία' }),
    parent: z.string().max(FOLDER_MAX_BYTES, { error: 'too_long' }).nullable().optional().openapi({ description: 'Path of an existing folder; absent: top level' }),
  })
  .strict()
  .openapi('CreateFolder');

const listFolders = createRoute({
  method: 'get',
  path: '/folders',
  middleware: [signedIn] as const,
  summary: 'The user’s IMAP folders (LIST through a director)',
  responses: { 200: { description: 'Folders', content: json(z.array(FolderSchema)) }, ...errorResponses(401, 503) },
});

const createFolder = createRoute({
  method: 'post',
  path: '/folders',
  middleware: [signedIn] as const,
  summary: 'Create a folder (subscribed)',
  description:
    'The name is composed (Unicode NFC) before anything else. ' +
    '400 validation: name: required | forbidden_character (" \\ * % control characters) | invisible_character (Unicode format characters: BOM, zero-width, bidi) | surrounding_space | dot_level (. or ..) | reserved_name (dovecot.index…) | leading_tilde | delimiter (the hierarchy delimiter inside a name) | too_long | refused (the server said no); parent: unknown. ' +
    '409 conflict, fields.name: exists (that folder exists, in any case) | lookalike (a folder that reads the same exists: another case, final sigma, spaces, format characters).',
  request: { body: { required: true, content: json(CreateFolderSchema) } },
  responses: { 201: { description: 'Created', content: json(FolderSchema) }, ...errorResponses(400, 401, 409, 503) },
});

export function folderRoutes({ folders }: Pick<Services, 'folders'>) {
  return newRouter()
    .openapi(listFolders, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await folders.list(c.var.user.uid, c.get('clientAddress')), 200);
    })
    .openapi(createFolder, async (c) => {
      return c.json(await folders.create(c.var.user.uid, c.req.valid('json'), c.get('clientAddress')), 201);
    });
}

export type Folder = z.infer<typeof FolderSchema>;
