import { z } from '@hono/zod-openapi';
import { MAX_KEYWORD_LENGTH } from '../../sieve';

/** Limits of what one request may carry (Sieve would carry more; people need less). */
export const FILTER_LIMITS = {
  items: 500,
  conditions: 50,
  actions: 20,
  flags: 20,
  nameLength: 200,
  valueLength: 1000,
  folderLength: 255,
} as const;

const req = { error: 'required' } as const;
const text = (max: number) => z.string(req).max(max, { error: 'too_long' });
const negate = z.boolean({ error: 'invalid' }).default(false);
const operator = z.enum(['contains', 'is', 'starts', 'ends', 'matches', 'regex'], { error: 'invalid' });
const textMatch = {
  operator,
  negate,
  value: text(FILTER_LIMITS.valueLength),
  exactAccents: z
    .boolean({ error: 'invalid' })
    .optional()
    .openapi({ description: 'A term with non-ASCII letters matches regardless of case, Unicode form (NFC/NFD) and Greek tonos/dialytika; true keeps accents as typed. contains/is/starts/ends only' }),
};
const flagList = z
  .array(text(MAX_KEYWORD_LENGTH), { error: 'invalid' })
  .max(FILTER_LIMITS.flags, { error: 'too_many' })
  .openapi({ description: 'IMAP flags: \\Seen, \\Answered, \\Flagged, \\Deleted, \\Draft, or keywords (RFC 3501 atoms: ASCII, no space or ( ) { % * " \\ ]), each a separate item' });
/** RFC 5232 `:flags`: the flags of this one stored message only. */
const ownFlags = flagList.optional().openapi({ description: 'The flags this stored message gets, whatever the mark actions set (none: it gets theirs)' });

const relation = z.enum(['ge', 'le', 'gt', 'lt', 'eq'], { error: 'invalid' });

/** The conditions that test the message (everything but a group). */
const simpleConditions = [
  z
    .object({
      type: z.enum(['from', 'to-or-cc', 'from-header', 'to-or-cc-header', 'subject', 'list-id', 'body']).openapi({
        description: 'from, to-or-cc: the addresses (display names never get in the way); from-header, to-or-cc-header: the whole header text, display names included',
      }),
      ...textMatch,
    })
    .strict(),
  z.object({ type: z.literal('header'), header: text(200), ...textMatch }).strict(),
  z.object({ type: z.literal('envelope'), part: z.enum(['from', 'to'], { error: 'invalid' }), ...textMatch }).strict(),
  z
    .object({
      type: z.literal('size'),
      negate,
      comparison: z.enum(['over', 'under'], { error: 'invalid' }),
      size: z.number({ error: 'invalid' }).int({ error: 'invalid' }).min(0, { error: 'out_of_range' }),
      unit: z.enum(['', 'K', 'M', 'G'], { error: 'invalid' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('currentdate'),
      negate,
      comparison: relation,
      datePart: z.enum(['date', 'iso8601'], { error: 'invalid' }),
      value: text(100),
      zone: z.string().max(5, { error: 'invalid' }).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('hasflag').openapi({ description: 'RFC 5232 hasflag: one of the flags an earlier action (this rule or one above) has set' }),
      negate,
      flags: flagList.min(1, { error: 'required' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('spamscore').openapi({ description: 'RFC 5235 spamtest :percent: the site’s spam score as a percent of the server’s maximum (0 = not scanned)' }),
      negate,
      comparison: relation,
      percent: z.number({ error: 'invalid' }).int({ error: 'invalid' }).min(0, { error: 'out_of_range' }).max(100, { error: 'out_of_range' }),
    })
    .strict(),
] as const;

export const SimpleConditionSchema = z.discriminatedUnion('type', [...simpleConditions], { error: 'invalid' }).openapi('FilterSimpleCondition');

export const ConditionSchema = z
  .discriminatedUnion(
    'type',
    [
      ...simpleConditions,
      z
        .object({
          type: z.literal('group').openapi({ description: 'Conditions joined the other way (anyof inside an allof rule, or the reverse); one level deep' }),
          negate,
          match: z.enum(['all', 'any'], { error: 'invalid' }),
          conditions: z.array(SimpleConditionSchema, { error: 'invalid' }).min(1, { error: 'required' }).max(FILTER_LIMITS.conditions, { error: 'too_many' }),
        })
        .strict(),
    ],
    { error: 'invalid' },
  )
  .openapi('FilterCondition');

export const ActionSchema = z
  .discriminatedUnion(
    'type',
    [
      z
        .object({
          type: z.literal('fileinto'),
          mailbox: text(FILTER_LIMITS.folderLength).openapi({ description: 'Folder path, UTF-8, `/` between levels' }),
          copy: z.boolean().default(false),
          create: z.boolean().default(false),
          flags: ownFlags,
        })
        .strict(),
      z.object({ type: z.literal('redirect'), address: text(254), copy: z.boolean().default(false) }).strict(),
      z
        .object({
          type: z.enum(['addflag', 'setflag', 'removeflag']).openapi({ description: 'RFC 5232: add the flags, replace all flags with them, or remove them' }),
          flags: flagList,
        })
        .strict(),
      z.object({ type: z.literal('discard') }).strict(),
      z.object({ type: z.literal('keep'), flags: ownFlags }).strict(),
      z.object({ type: z.literal('reject'), message: text(10_000) }).strict(),
      z
        .object({
          type: z.literal('vacation'),
          reason: text(10_000),
          subject: z.string().max(200, { error: 'too_long' }).optional(),
          from: z.string().max(254, { error: 'too_long' }).optional(),
          addresses: z.array(z.string().max(254)).max(50).optional(),
          handle: z.string().max(200).optional(),
          days: z.number().int().optional(),
          seconds: z.number().int().optional(),
          mime: z.boolean().optional(),
        })
        .strict(),
    ],
    { error: 'invalid' },
  )
  .openapi('FilterAction');

export const RuleSchema = z
  .object({
    id: z.string(req).max(100, { error: 'too_long' }).openapi({ description: 'From GET for an existing rule; any unique string for a new one' }),
    name: text(FILTER_LIMITS.nameLength),
    enabled: z.boolean({ error: 'invalid' }),
    match: z.enum(['all', 'any', 'always'], { error: 'invalid' }),
    conditions: z.array(ConditionSchema, { error: 'invalid' }).max(FILTER_LIMITS.conditions, { error: 'too_many' }),
    actions: z.array(ActionSchema, { error: 'invalid' }).min(1, { error: 'required' }).max(FILTER_LIMITS.actions, { error: 'too_many' }),
    stop: z.boolean({ error: 'invalid' }),
  })
  .strict()
  .openapi('FilterRule');

const writer = z.enum(['roundcube', 'nextcloud', 'snappymail', 'sievelib', 'emailng']);

export const FilterItemViewSchema = z
  .union([
    z.object({
      kind: z.literal('rule'),
      rule: RuleSchema,
      editable: z.literal(true),
      writer: writer.optional(),
      upgraded: z
        .literal(true)
        .optional()
        .openapi({ description: 'Read from a form the app no longer writes because it did not do what it said (e.g. From ends with an address, as a header match a display name defeats); rule is the corrected one, written on the next save' }),
    }),
    z.object({
      kind: z.literal('custom'),
      id: z.string().openapi({ description: 'Stable while its text is unchanged; send it back to keep the block' }),
      text: z.string().openapi({ description: 'The block’s Sieve, byte for byte (read-only here)' }),
      writer: writer.optional(),
      name: z.string().optional(),
    }),
  ])
  .openapi('FilterItem');

export const FiltersViewSchema = z
  .object({
    etag: z.string().openapi({ description: 'Covers the filters and custom blocks only (not vacation, spam, forwarding)' }),
    items: z.array(FilterItemViewSchema),
    sections: z.array(z.string()).openapi({ description: 'The app’s own sections present (edited in their views)' }),
    foreignScript: z.object({ name: z.string() }).nullable(),
    capabilities: z.record(z.string(), z.boolean()).openapi({ description: 'What the server offers: hide what is false' }),
    maxRedirects: z.number().int().openapi({ description: 'Redirects the server performs per message, forwarding included' }),
    forwardingRedirects: z.number().int().openapi({ description: 'Of those, used by the forwarding setting' }),
    spamScoreMax: z.number().openapi({ description: 'The spam score that is 100% for a spamscore condition (the server’s sieve_spamtest_max_value)' }),
  })
  .openapi('FiltersView');

export const SaveFiltersSchema = z
  .object({
    items: z
      .array(
        z.discriminatedUnion(
          'kind',
          [RuleSchema.extend({ kind: z.literal('rule') }).strict(), z.object({ kind: z.literal('custom'), id: z.string(req).max(100) }).strict()],
          { error: 'invalid' },
        ),
        { error: 'required' },
      )
      .max(FILTER_LIMITS.items, { error: 'too_many' }),
    deleteCustom: z
      .array(z.string().max(100))
      .max(FILTER_LIMITS.items)
      .default([])
      .openapi({ description: 'Ids of custom blocks to delete; a custom block left out of items without being listed here is refused (custom_missing)' }),
    upgrade: z
      .array(z.string().max(100))
      .max(FILTER_LIMITS.items)
      .default([])
      .openapi({ description: 'Ids of rules shown as upgraded to write in the corrected form even if unchanged; otherwise an unchanged rule keeps its text byte for byte' }),
  })
  .strict()
  .openapi('SaveFilters', {
    description: 'items: the full ordered list. A rule is sent flat ({kind: "rule", id, name, enabled, match, conditions, actions, stop}), so field codes read items.3.conditions.0.value; a custom block as {kind: "custom", id}.',
  });

export const RuleRequestSchema = z.object({ rule: RuleSchema }).strict().openapi('RuleRequest');

export const TestResultSchema = z
  .object({
    method: z.enum(['sieve', 'search']).openapi({ description: 'sieve: the server ran the rule’s own Sieve (FILTER=SIEVE), exactly as delivery would' }),
    messages: z.array(z.object({ uid: z.number().int(), from: z.string(), subject: z.string(), date: z.string().nullable() })),
    unchecked: z.array(z.number().int()).openapi({ description: 'Indexes of conditions that could not be checked (search method only)' }),
    examined: z.number().int().openapi({ description: 'INBOX messages of the last 30 days looked at (at most 500)' }),
  })
  .openapi('FilterTestResult');

export const ApplyPreviewSchema = z
  .object({ count: z.number().int(), token: z.string().openapi({ description: 'Send back to POST /filters/apply; valid 10 minutes' }), method: z.enum(['sieve', 'search']), unchecked: z.array(z.number().int()) })
  .openapi('ApplyPreview');

export const ApplyRequestSchema = z.object({ rule: RuleSchema, token: z.string(req).max(20_000) }).strict().openapi('ApplyRequest');

export type RuleInput = z.infer<typeof RuleSchema>;
export type SaveFiltersInput = z.infer<typeof SaveFiltersSchema>;
export type FiltersView = z.infer<typeof FiltersViewSchema>;
export type FilterItemView = z.infer<typeof FilterItemViewSchema>;
