import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../../http/errors';
import { signedIn } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import { parseDocument, readAppSettings, SieveSyntaxError, type AssembleOptions } from '../../sieve';
import { IfMatchHeaderSchema } from '../vacation/schemas';
import { hiddenCharacterTargets } from './raw-targets';
import { etagOf, type RawScriptState } from './store';
import { allAddresses, classifyAddresses } from '../aliases/addresses';
import { scriptReplyFromProblem } from '../filters/reply-from';

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

/** A few CHECKSCRIPTs a second while typing are fine; a flood is not. */
class CheckLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perMinute: number) {}
  take(uid: string): number | null {
    const now = Date.now();
    const w = this.windows.get(uid);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(uid, { start: now, count: 1 });
      return null;
    }
    w.count += 1;
    return w.count > this.perMinute ? Math.ceil((w.start + 60_000 - now) / 1000) : null;
  }
}

export const rawEtag = (state: Pick<RawScriptState, 'text' | 'foreignActive'>): string => etagOf('script', state.text, state.foreignActive ?? '');

export function scriptRoutes(services: Pick<Services, 'scripts' | 'config' | 'directory'>) {
  const store = services.scripts;
  const limiter = new CheckLimiter(60);
  const rawView = (s: RawScriptState) => ({ etag: rawEtag(s), name: s.name, text: s.text, exists: s.exists, foreignScript: s.foreignActive === null ? null : { name: s.foreignActive } });
  const sectionsOf = (text: string, options: AssembleOptions) => {
    try {
      const doc = parseDocument(text);
      return { readable: true, present: doc.items.flatMap((i) => (i.kind === 'section' ? [i.name as string] : [])), handEdited: readAppSettings(doc, options).handEdited as string[] };
    } catch (error) {
      if (error instanceof SieveSyntaxError) return { readable: false, present: [], handEdited: [] };
      throw error;
    }
  };
  const savedView = (before: string, after: RawScriptState) => {
    const options: AssembleOptions = {
      capabilities: after.capabilities.sieve,
      spamtestMaxValue: services.config.sieve.spamtestMaxValue,
      ...(after.capabilities.maxRedirects !== undefined ? { maxRedirects: after.capabilities.maxRedirects } : {}),
    };
    const was = sectionsOf(before, options);
    const now = sectionsOf(after.text, options);
    return {
      ...rawView(after),
      readable: now.readable,
      sections: { present: now.present, handEdited: now.handEdited, removed: was.present.filter((n) => !now.present.includes(n)) },
    };
  };
  /** A vacation `:from` anywhere in the text must be the user's own (features/filters/reply-from.ts). */
  const refuseForeignReplyFrom = async (uid: string, text: string): Promise<void> => {
    if (!/vacation/i.test(text)) return;
    const account = await services.directory.getAccount(uid);
    if (!account) throw new ApiError('unauthenticated', 'your account no longer exists');
    const problem = scriptReplyFromProblem(text, allAddresses(classifyAddresses(account)));
    if (!problem) return;
    const where = problem.line !== null ? `line ${problem.line}: ` : '';
    throw new ApiError('validation', `${where}an automatic reply may only be sent from one of your own addresses, with a one-line display name (${problem.code})`, {
      fields: { text: problem.code },
      ...(problem.line !== null ? { errors: [{ line: problem.line, message: `vacation :from: ${problem.code.replaceAll('_', ' ')}` }] } : {}),
    });
  };
  const scripts = (uid: string, clientAddress: string) => store.listScripts(uid, { clientAddress });

  return newRouter()
    .openapi(takeOver, async (c) => {
      const { uid } = c.var.user;
      const { previousKept } = await store.takeOver(uid, { clientAddress: c.get('clientAddress') });
      return c.json({ active: services.config.sieve.scriptName, previousKept }, 200);
    })
    .openapi(getRaw, async (c) => {
      const { uid } = c.var.user;
      const view = rawView(await store.readRaw(uid, { clientAddress: c.get('clientAddress') }));
      c.header('Cache-Control', 'no-store');
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(putRaw, async (c) => {
      const { uid } = c.var.user;
      const { text } = c.req.valid('json');
      const hidden = hiddenCharacterTargets(text);
      if (hidden.length > 0) throw new ApiError('script_rejected', `a folder name holds invisible characters: ${hidden.map((p) => p.message).join('; ')}; nothing was saved`, { errors: hidden });
      await refuseForeignReplyFrom(uid, text);
      let before = '';
      const after = await store.replaceText(
        uid,
        {
          ifMatch: c.req.valid('header')['if-match'],
          etagOf: (s) => {
            before = s.text;
            return rawEtag(s);
          },
          describe: rawView,
          text,
          audit: `raw script edited (${Buffer.byteLength(text, 'utf8')} bytes)`,
        },
        { clientAddress: c.get('clientAddress') },
      );
      const view = savedView(before, after);
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(checkRaw, async (c) => {
      const { uid } = c.var.user;
      const wait = limiter.take(uid);
      if (wait !== null) throw new ApiError('rate_limited', 'too many checks; try again shortly', { retryAfter: wait });
      const { text } = c.req.valid('json');
      const verdict = await store.check(uid, text, { clientAddress: c.get('clientAddress') });
      const hidden = hiddenCharacterTargets(text);
      return c.json(hidden.length > 0 ? { ...verdict, ok: false, errors: [...hidden, ...verdict.errors] } : verdict, 200);
    })
    .openapi(listScripts, async (c) => {
      const { uid } = c.var.user;
      c.header('Cache-Control', 'no-store');
      return c.json(await scripts(uid, c.get('clientAddress')), 200);
    })
    .openapi(activateScript, async (c) => {
      const { uid } = c.var.user;
      await store.activate(uid, c.req.valid('param').name, { clientAddress: c.get('clientAddress') });
      return c.json(await scripts(uid, c.get('clientAddress')), 200);
    })
    .openapi(renameScript, async (c) => {
      const { uid } = c.var.user;
      await store.rename(uid, c.req.valid('param').name, c.req.valid('json').newName, { clientAddress: c.get('clientAddress') });
      return c.json(await scripts(uid, c.get('clientAddress')), 200);
    })
    .openapi(deleteScript, async (c) => {
      const { uid } = c.var.user;
      await store.remove(uid, c.req.valid('param').name, { clientAddress: c.get('clientAddress') });
      return c.json(await scripts(uid, c.get('clientAddress')), 200);
    })
    .openapi(listHistory, async (c) => {
      const { uid } = c.var.user;
      c.header('Cache-Control', 'no-store');
      const entries = await store.history(uid, { clientAddress: c.get('clientAddress') });
      return c.json(entries.map(({ id, savedAt, summary, size }) => ({ id, savedAt, summary, size })), 200);
    })
    .openapi(getHistory, async (c) => {
      const { uid } = c.var.user;
      const id = c.req.valid('param').id;
      const entry = (await store.history(uid, { clientAddress: c.get('clientAddress') })).find((e) => e.id === id);
      if (!entry) throw new ApiError('not_found', `no kept version "${id}"`);
      c.header('Cache-Control', 'no-store');
      return c.json({ id: entry.id, savedAt: entry.savedAt, summary: entry.summary, text: entry.text }, 200);
    })
    .openapi(restoreHistory, async (c) => {
      const { uid } = c.var.user;
      let before = '';
      const { state } = await store.restore(
        uid,
        c.req.valid('param').id,
        {
          ifMatch: c.req.valid('header')['if-match'],
          etagOf: (s) => {
            before = s.text;
            return rawEtag(s);
          },
          describe: rawView,
        },
        { clientAddress: c.get('clientAddress') },
      );
      const view = savedView(before, state);
      c.header('ETag', view.etag);
      return c.json(view, 200);
    });
}

export type RawScriptView = z.infer<typeof RawViewSchema>;
export type RawScriptSavedView = z.infer<typeof RawSavedSchema>;
export type ScriptHistoryList = z.infer<typeof HistoryListSchema>;
export type TakenOverView = z.infer<typeof TakenOverSchema>;
