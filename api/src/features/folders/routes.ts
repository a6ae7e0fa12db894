import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { withImap } from './imap';
import { folderProblem, lookalikeFolder, FOLDER_MAX_BYTES } from './names';

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

function invalid(field: string, code: string, message: string): ApiError {
  return new ApiError('validation', message, { fields: { [field]: code } });
}

function exists(path: string, code: 'exists' | 'lookalike', twin?: string): ApiError {
  const message = code === 'exists' ? `a folder "${path}" exists already` : `"${path}" would look the same as the existing folder "${twin}"`;
  return new ApiError('conflict', message, { fields: { name: code } });
}

export function folderRoutes({ imap, logger }: Pick<Services, 'imap' | 'logger'>) {
  return newRouter()
    .openapi(listFolders, async (c) => {
      const { uid } = c.var.user;
      const list = await withImap(imap, uid, (client) => client.list(), { clientAddress: c.get('clientAddress') });
      c.header('Cache-Control', 'no-store');
      return c.json(
        list
          .filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'))
          .map((f) => ({ path: f.path, name: f.name, delimiter: f.delimiter, specialUse: f.specialUse ?? null, subscribed: f.subscribed })),
        200,
      );
    })
    .openapi(createFolder, async (c) => {
      const { uid } = c.var.user;
      const body = c.req.valid('json');
      const name = body.name.normalize('NFC');
      const parent = body.parent?.normalize('NFC');
      const clientAddress = c.get('clientAddress');
      const created = await withImap(
        imap,
        uid,
        async (client) => {
          const list = await client.list();
          const delimiter = list[0]?.delimiter ?? '/';
          if (name.includes(delimiter)) throw invalid('name', 'delimiter', `a folder name may not contain "${delimiter}": choose a parent instead`);
          const problem = folderProblem(name, delimiter);
          if (problem) throw invalid('name', problem, `invalid folder name (${problem})`);
          if (parent && !list.some((f) => f.path === parent)) throw invalid('parent', 'unknown', 'no such parent folder');
          const path = parent ? `${parent}${delimiter}${name}` : name;
          if (folderProblem(path, delimiter) === 'too_long') throw invalid('name', 'too_long', 'the folder path is too long');
          const paths = list.map((f) => f.path);
          if (paths.some((p) => p.toLowerCase() === path.toLowerCase())) throw exists(path, 'exists');
          const twin = lookalikeFolder(path, paths, delimiter);
          if (twin !== null) throw exists(path, 'lookalike', twin);
          try {
            await client.mailboxCreate(path);
          } catch (error) {
            const e = error as { serverResponseCode?: string; responseText?: string; message: string };
            if (e.serverResponseCode === 'ALREADYEXISTS') throw exists(path, 'exists');
            throw invalid('name', 'refused', `the mail server refused the folder: ${e.responseText ?? e.message}`);
          }
          await client.mailboxSubscribe(path).catch(() => undefined);
          const made = (await client.list()).find((f) => f.path === path);
          return { path, name: made?.name ?? name, delimiter, specialUse: made?.specialUse ?? null, subscribed: true };
        },
        { clientAddress },
      );
      logger.info({ log: 'audit', uid: uid, client: clientAddress, change: `created folder "${created.path}"` }, 'settings changed');
      return c.json(created, 201);
    });
}

export type Folder = z.infer<typeof FolderSchema>;
