import { createRoute, z } from '@hono/zod-openapi';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const TakeOverSchema = z.object({}).strict().openapi('TakeOver');
const TakenOverSchema = z
  .object({
    active: z.string().openapi({ description: 'The app’s script, now active' }),
    previousKept: z.boolean().openapi({ description: 'The app’s script had other text before (it was inactive); that text is now the newest version in the history' }),
  })
  .openapi('TakenOver');

/** Raw scripts may be as large as the server allows; the server says when one is too large. */
export const RAW_SCRIPT_MAX_CHARS = 4 * 1024 * 1024;

/**
 * Script names (RFC 5804 §1.6): 1–128 characters, no control characters; `/` is refused too
 * (Pigeonhole's file storage cannot hold it) and so is a leading `.` (hidden files there).
 */
export const ScriptNameSchema = z
  .string({ error: 'required' })
  .min(1, { error: 'required' })
  .max(128, { error: 'too_long' })
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029/]/.test(n) && !n.startsWith('.'), { error: 'invalid' });

const ProblemSchema = z.object({ line: z.number().int().nullable(), column: z.number().int().optional(), message: z.string() }).openapi('ScriptProblem');

const RawViewSchema = z
  .object({
    etag: z.string(),
    name: z.string().openapi({ description: 'The app’s script name' }),
    text: z.string(),
    exists: z.boolean(),
    foreignScript: z.object({ name: z.string() }).nullable(),
  })
  .openapi('RawScript');

const RawSavedSchema = RawViewSchema.extend({
  readable: z.boolean().openapi({ description: 'false: the server took it but the app cannot show it as filters/settings (edit it here)' }),
  sections: z.object({
    present: z.array(z.string()),
    handEdited: z.array(z.string()).openapi({ description: 'The app’s sections whose Sieve now differs from their settings' }),
    removed: z.array(z.string()).openapi({ description: 'The app’s sections this save removed' }),
  }),
}).openapi('RawScriptSaved');

const rawText = z.string({ error: 'required' }).max(RAW_SCRIPT_MAX_CHARS, { error: 'too_long' });
const RawBodySchema = z.object({ text: rawText }).strict().openapi('RawScriptBody');
/**
 * A saved script is never blank: the server refuses to store an empty one (HAVESPACE: "Cannot
 * upload empty script"), and one of only white space would silently end every filter and the
 * spam filing the site's default script gave the user. Removing everything is done by
 * deleting the rules, which leaves the app's sections.
 */
const RawSaveSchema = z
  .object({ text: rawText.refine((t) => t.trim() !== '', { error: 'empty' }) })
  .strict()
  .openapi('RawScriptSave');
const CheckSchema = z.object({ ok: z.boolean(), errors: z.array(ProblemSchema), warnings: z.array(ProblemSchema) }).openapi('ScriptCheck');
const ScriptsSchema = z.array(z.object({ name: z.string(), active: z.boolean(), app: z.boolean(), history: z.boolean() })).openapi('Scripts');
const NameParams = z.object({ name: ScriptNameSchema.openapi({ param: { name: 'name', in: 'path' } }) });
const HistoryListSchema = z.array(z.object({ id: z.string(), savedAt: z.string(), summary: z.string(), size: z.number().int() })).openapi('ScriptHistory');
const IdParams = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, { error: 'invalid' }).openapi({ param: { name: 'id', in: 'path' } }) });

const takeOver = createRoute({
  method: 'post',
  path: '/script/take-over',
  middleware: [signedIn] as const,
  summary: 'Make the app’s script the active one, keeping every rule of the script that was active',
  description: 'The active script’s text becomes the app’s script (unknown rules kept verbatim, shown as custom Sieve); the other script stays on the server, untouched.',
  request: { body: { required: true, content: json(TakeOverSchema) } },
  responses: { 200: { description: 'Taken over', content: json(TakenOverSchema) }, ...errorResponses(401, 403, 422, 503) },
});

const getRaw = createRoute({
  method: 'get',
  path: '/script/raw',
  middleware: [signedIn] as const,
  summary: 'The app’s Sieve script as text',
  responses: { 200: { description: 'The script', content: json(RawViewSchema) }, ...errorResponses(401, 503) },
});

const putRaw = createRoute({
  method: 'put',
  path: '/script/raw',
  middleware: [signedIn] as const,
  summary: 'Replace the app’s script with this text (advanced)',
  description:
    '400 validation, fields.text ∈ empty (blank: never stored), too_long; line_break, encoded_word, invalid_address or not_own_address: a vacation :from (anywhere, inside if blocks too) is not one of the user’s own addresses with a one-line display name; errors: [{line, message}]. ' +
    '422 script_rejected also when a fileinto target holds control or format characters (the app refuses those folder names everywhere). ' +
    '422 script_rejected: the server refused it (a NO to HAVESPACE or PUTSCRIPT, no room for another script); errors: [{line, column?, message}] from its text; the old script stays active. 413 payload_too_large: over the server’s size limit (its words in serverText). ' +
    '409 conflict (current: the raw script now), 409 foreign_script_active, 428 precondition_required. A save that changes or removes the app’s sections is allowed: sections.handEdited / sections.removed say which.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(RawSaveSchema) } },
  responses: { 200: { description: 'Saved', content: json(RawSavedSchema) }, ...errorResponses(400, 401, 409, 413, 422, 428, 503) },
});

const checkRaw = createRoute({
  method: 'post',
  path: '/script/check',
  middleware: [signedIn] as const,
  summary: 'CHECKSCRIPT only: what the server thinks of a text (nothing stored); rate-limited',
  request: { body: { required: true, content: json(RawBodySchema) } },
  responses: { 200: { description: 'The verdict', content: json(CheckSchema) }, ...errorResponses(400, 401, 429, 503) },
});

const listScripts = createRoute({
  method: 'get',
  path: '/scripts',
  middleware: [signedIn] as const,
  summary: 'The user’s Sieve scripts on the server',
  responses: { 200: { description: 'Scripts', content: json(ScriptsSchema) }, ...errorResponses(401, 503) },
});

const activateScript = createRoute({
  method: 'post',
  path: '/scripts/{name}/activate',
  middleware: [signedIn] as const,
  summary: 'Make a script the active one',
  description: '404 not_found; 400 name: history_script (the history is never activated) | invalid.',
  request: { params: NameParams },
  responses: { 200: { description: 'Scripts afterwards', content: json(ScriptsSchema) }, ...errorResponses(400, 401, 404, 503) },
});

const renameScript = createRoute({
  method: 'post',
  path: '/scripts/{name}/rename',
  middleware: [signedIn] as const,
  summary: 'Rename a script',
  description: '404 not_found; 409 conflict (newName exists); 400 name: reserved (the app’s own scripts) | newName: reserved | invalid | too_long.',
  request: { params: NameParams, body: { required: true, content: json(z.object({ newName: ScriptNameSchema }).strict()) } },
  responses: { 200: { description: 'Scripts afterwards', content: json(ScriptsSchema) }, ...errorResponses(400, 401, 404, 409, 503) },
});

const deleteScript = createRoute({
  method: 'delete',
  path: '/scripts/{name}',
  middleware: [signedIn] as const,
  summary: 'Delete a script (not the active one, never the app’s history)',
  description: '404 not_found; 409 conflict (it is active); 400 name: reserved (the history).',
  request: { params: NameParams },
  responses: { 200: { description: 'Scripts afterwards', content: json(ScriptsSchema) }, ...errorResponses(400, 401, 404, 409, 503) },
});

const listHistory = createRoute({
  method: 'get',
  path: '/script/history',
  middleware: [signedIn] as const,
  summary: 'Previous versions of the app’s script (up to 10), newest first',
  responses: { 200: { description: 'Versions', content: json(HistoryListSchema) }, ...errorResponses(401, 503) },
});

const getHistory = createRoute({
  method: 'get',
  path: '/script/history/{id}',
  middleware: [signedIn] as const,
  summary: 'One previous version’s text',
  request: { params: IdParams },
  responses: { 200: { description: 'The text', content: json(z.object({ id: z.string(), savedAt: z.string(), summary: z.string(), text: z.string() })) }, ...errorResponses(401, 404, 503) },
});

const restoreHistory = createRoute({
  method: 'post',
  path: '/script/history/{id}/restore',
  middleware: [signedIn] as const,
  summary: 'Put a previous version back, byte for byte',
  description: 'If-Match: the etag of GET /script/raw. 409 conflict, 428 precondition_required, 422 script_rejected (the server no longer takes it), 404 not_found.',
  request: { headers: IfMatchHeaderSchema, params: IdParams },
  responses: { 200: { description: 'Restored', content: json(RawSavedSchema) }, ...errorResponses(401, 404, 409, 422, 428, 503) },
});

export function scriptRoutes({ rawScripts: editor }: Pick<Services, 'rawScripts'>) {
  return newRouter()
    .openapi(takeOver, async (c) => {
      return c.json(await editor.takeOver(c.var.user.uid, c.get('clientAddress')), 200);
    })
    .openapi(getRaw, async (c) => {
      const view = await editor.read(c.var.user.uid, c.get('clientAddress'));
      c.header('Cache-Control', 'no-store');
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(putRaw, async (c) => {
      const view = await editor.save(c.var.user.uid, c.req.valid('json').text, c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(checkRaw, async (c) => {
      return c.json(await editor.check(c.var.user.uid, c.req.valid('json').text, c.get('clientAddress')), 200);
    })
    .openapi(listScripts, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await editor.list(c.var.user.uid, c.get('clientAddress')), 200);
    })
    .openapi(activateScript, async (c) => {
      return c.json(await editor.activate(c.var.user.uid, c.req.valid('param').name, c.get('clientAddress')), 200);
    })
    .openapi(renameScript, async (c) => {
      return c.json(await editor.rename(c.var.user.uid, c.req.valid('param').name, c.req.valid('json').newName, c.get('clientAddress')), 200);
    })
    .openapi(deleteScript, async (c) => {
      return c.json(await editor.remove(c.var.user.uid, c.req.valid('param').name, c.get('clientAddress')), 200);
    })
    .openapi(listHistory, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await editor.history(c.var.user.uid, c.get('clientAddress')), 200);
    })
    .openapi(getHistory, async (c) => {
      const entry = await editor.historyEntry(c.var.user.uid, c.req.valid('param').id, c.get('clientAddress'));
      c.header('Cache-Control', 'no-store');
      return c.json(entry, 200);
    })
    .openapi(restoreHistory, async (c) => {
      const view = await editor.restore(c.var.user.uid, c.req.valid('param').id, c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}

export type RawScriptView = z.infer<typeof RawViewSchema>;
export type RawScriptSavedView = z.infer<typeof RawSavedSchema>;
export type ScriptHistoryList = z.infer<typeof HistoryListSchema>;
export type TakenOverView = z.infer<typeof TakenOverSchema>;
