import { createRoute, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { ApiError } from '../../http/errors';
import { signedIn, signedInAccount } from '../../http/middleware/signed-in';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';
import type { Rule } from '../../sieve';
import { IfMatchHeaderSchema } from '../../shared/schemas/if-match';
import { ApplyPreviewSchema, ApplyRequestSchema, FiltersViewSchema, RuleRequestSchema, SaveFiltersSchema, TestResultSchema, type RuleInput } from './schemas';
import { ruleProblems, toRule } from './service';
import { applicableProblems } from './tester';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const getFilters = createRoute({
  method: 'get',
  path: '/filters',
  middleware: [signedIn] as const,
  summary: 'The user’s filters (editable rules) and custom Sieve blocks, in order',
  description: '422 script_rejected when the script cannot be read by the app (open the raw editor).',
  responses: { 200: { description: 'The filters', content: json(FiltersViewSchema) }, ...errorResponses(401, 422, 503) },
});

const putFilters = createRoute({
  method: 'put',
  path: '/filters',
  middleware: [signedInAccount] as const,
  summary: 'Save the whole ordered list of filters',
  description:
    '400 validation with fields per path, e.g. items.3.conditions.0.value: required. Codes: required, too_long, too_many, invalid, line_break, ' +
    'invalid_header_name, invalid_regex, invalid_address, own_address, invalid_flag, out_of_range, not_allowed, invalid_date, unsupported (the server lacks the extension), ' +
    'mailbox: forbidden_character | leading_tilde | empty_level | too_long; items.N.id: unknown | duplicate (custom blocks); items: custom_missing (a custom block left out without deleteCustom) | too_many_redirects (with forwarding, over MAXREDIRECTS); deleteCustom: unknown | also_kept. ' +
    '409 conflict (current: the filters now), 409 foreign_script_active, 422 script_rejected (errors: [{line, column?, message}]), 428 precondition_required.',
  request: { headers: IfMatchHeaderSchema, body: { required: true, content: json(SaveFiltersSchema) } },
  responses: { 200: { description: 'The filters afterwards', content: json(FiltersViewSchema) }, ...errorResponses(400, 401, 409, 422, 428, 503) },
});

const testRule = createRoute({
  method: 'post',
  path: '/filters/test',
  middleware: [signedIn] as const,
  summary: 'Which recent INBOX messages (30 days, at most 500) a rule matches; nothing is changed',
  description: 'method sieve: the server ran the rule’s own Sieve test (FILTER=SIEVE). method search: IMAP SEARCH, unchecked lists conditions it could not check. 400 validation as PUT /filters with rule.… paths.',
  request: { body: { required: true, content: json(RuleRequestSchema) } },
  responses: { 200: { description: 'Matches, newest first', content: json(TestResultSchema) }, ...errorResponses(400, 401, 503) },
});

const applyPreview = createRoute({
  method: 'post',
  path: '/filters/apply/preview',
  middleware: [signedIn] as const,
  summary: 'How many recent INBOX messages applying a move/flag rule would touch',
  description: 'Only fileinto and flag actions (addflag, removeflag, setflag — else rule.actions.N.type: not_applicable). The token pins exactly those messages.',
  request: { body: { required: true, content: json(RuleRequestSchema) } },
  responses: { 200: { description: 'The count and a token', content: json(ApplyPreviewSchema) }, ...errorResponses(400, 401, 503) },
});

const applyRule = createRoute({
  method: 'post',
  path: '/filters/apply',
  middleware: [signedIn] as const,
  summary: 'Move / flag exactly the previewed messages, streaming progress',
  description:
    'application/x-ndjson, one JSON object per line: {type:"progress", done, total}…, then {type:"done", done, total, moved, flagged} or {type:"error", code, message, done, total}. ' +
    '400 token: invalid | expired | rule_changed.',
  request: { body: { required: true, content: json(ApplyRequestSchema) } },
  responses: { 200: { description: 'NDJSON progress', content: { 'application/x-ndjson': { schema: z.string() } } }, ...errorResponses(400, 401, 503) },
});

function checkedRule(input: RuleInput, capabilities: readonly string[], own: readonly string[], forApply: boolean): Rule {
  const rule = toRule(input);
  // A test looks at conditions only: its actions need not be complete yet.
  const probe = forApply ? rule : { ...rule, actions: [{ type: 'keep' as const }] };
  const fields = Object.fromEntries(Object.entries(ruleProblems(probe, { ownAddresses: own, capabilities })).map(([p, c]) => [p === '(rule)' ? 'rule' : `rule.${p}`, c]));
  if (forApply) Object.assign(fields, applicableProblems(rule));
  if (Object.keys(fields).length > 0) {
    throw new ApiError('validation', `invalid rule: ${Object.entries(fields).map(([f, c]) => `${f}: ${c}`).join(', ')}`, { fields });
  }
  return rule;
}

export function filterRoutes({ filters, ruleTester: tester, scripts, logger }: Pick<Services, 'filters' | 'ruleTester' | 'scripts' | 'logger'>) {
  const sieveCapabilities = async (uid: string, clientAddress: string) => (await scripts.read(uid, { clientAddress })).options.capabilities;
  return newRouter()
    .openapi(getFilters, async (c) => {
      c.header('Cache-Control', 'no-store');
      const view = await filters.get(c.var.user.uid, c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(putFilters, async (c) => {
      const view = await filters.save(c.var.account, c.req.valid('json'), c.req.valid('header')['if-match'], c.get('clientAddress'));
      c.header('ETag', view.etag);
      return c.json(view, 200);
    })
    .openapi(testRule, async (c) => {
      const { uid } = c.var.user;
      const rule = checkedRule(c.req.valid('json').rule, await sieveCapabilities(uid, c.get('clientAddress')), [], false);
      c.header('Cache-Control', 'no-store');
      return c.json(await tester.test(uid, rule, c.get('clientAddress')), 200);
    })
    .openapi(applyPreview, async (c) => {
      const { uid } = c.var.user;
      const rule = checkedRule(c.req.valid('json').rule, await sieveCapabilities(uid, c.get('clientAddress')), [], true);
      const found = await tester.matches(uid, rule, c.get('clientAddress'));
      return c.json({ count: found.uids.length, token: tester.issueToken(uid, rule, found), method: found.method, unchecked: found.unchecked }, 200);
    })
    .openapi(applyRule, async (c) => {
      const { uid } = c.var.user;
      const body = c.req.valid('json');
      const rule = checkedRule(body.rule, await sieveCapabilities(uid, c.get('clientAddress')), [], true);
      const previewed = tester.readToken(uid, rule, body.token);
      const clientAddress = c.get('clientAddress');
      logger.info({ log: 'audit', uid: uid, client: clientAddress, change: `applied rule "${rule.name}" to ${previewed.uids.length} message(s)` }, 'settings changed');
      c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
      c.header('Cache-Control', 'no-store');
      return stream(c, async (out) => {
        await tester.apply(uid, rule, previewed, (p) => out.writeln(JSON.stringify(p)).then(() => undefined), clientAddress);
      }) as never;
    });
}
