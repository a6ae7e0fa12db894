import { z } from '@hono/zod-openapi';

export const HELD_REASONS = ['spam', 'blocked', 'virus', 'banned', 'other'] as const;

const heldId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, { error: 'invalid' });

export const HeldIdParamSchema = z.object({ id: heldId.openapi({ param: { name: 'id', in: 'path' }, description: 'Opaque id from the list' }) });

const pageNumber = z.coerce.number({ error: 'invalid' }).int({ error: 'invalid' }).min(1, { error: 'out_of_range' }).max(100_000, { error: 'out_of_range' }).default(1);
const pageSize = z.coerce.number({ error: 'invalid' }).int({ error: 'invalid' }).min(1, { error: 'out_of_range' }).max(100, { error: 'out_of_range' }).default(50);

export const HeldQuerySchema = z.object({
  search: z
    .string()
    .max(200, { error: 'too_long' })
    // PostgreSQL text cannot hold NUL, and no sender or subject holds a control character.
    .refine((text) => !/\p{Cc}/u.test(text), { error: 'invalid' })
    .optional()
    .openapi({ description: 'Text to find in the sender, the From header or the subject (literal)' }),
  reason: z.enum(HELD_REASONS, { error: 'invalid' }).optional(),
  page: pageNumber,
  pageSize,
});

export const HeldItemSchema = z
  .object({
    id: z.string(),
    receivedAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
    deleteAfter: z.string().openapi({ description: 'When housekeeping deletes it (ISO 8601, UTC)' }),
    sender: z.string().openapi({ description: 'Envelope sender; empty for a bounce' }),
    from: z.string().openapi({ description: 'The From header' }),
    subject: z.string(),
    score: z.number().nullable(),
    reason: z.enum(HELD_REASONS),
    detail: z.string().nullable().openapi({ description: 'Virus name or banned file name' }),
    size: z.number().int(),
    status: z.enum(['held', 'requested']),
    release: z.enum(['direct', 'request']).openapi({ description: 'direct: the user releases it; request: the helpdesk approves' }),
  })
  .openapi('HeldItem');

export const HeldListSchema = z
  .object({ items: z.array(HeldItemSchema), total: z.number().int(), retentionDays: z.number().int() })
  .openapi('HeldList');

export const HeldPreviewSchema = z
  .object({
    item: HeldItemSchema,
    preview: z.object({
      headers: z.array(z.object({ name: z.string(), value: z.string() })),
      text: z.string(),
      textSource: z.enum(['plain', 'html', 'none']),
      attachments: z.array(z.object({ filename: z.string(), mimeType: z.string(), size: z.number().int() })),
      truncated: z.boolean(),
    }),
  })
  .openapi('HeldPreview');

export const ReleaseBodySchema = z.object({ allowSender: z.boolean({ error: 'invalid' }).default(false) }).strict();

export const ReleaseOutcomeSchema = z
  .object({
    status: z.enum(['released', 'requested']),
    allowSender: z.enum(['added', 'already', 'failed', 'not_asked']).optional(),
  })
  .openapi('ReleaseOutcome');

export const BulkBodySchema = z
  .object({
    action: z.enum(['release', 'delete'], { error: 'invalid' }),
    ids: z.array(heldId, { error: 'invalid' }).min(1, { error: 'required' }).max(100, { error: 'too_many' }),
  })
  .strict();

export const BulkOutcomeSchema = z
  .object({
    done: z.array(z.string()),
    requested: z.array(z.string()),
    failed: z.array(z.object({ id: z.string(), code: z.string() })),
  })
  .openapi('BulkOutcome');

export type HeldListView = z.infer<typeof HeldListSchema>;
export type HeldPreviewView = z.infer<typeof HeldPreviewSchema>;
export type HeldItemView = z.infer<typeof HeldItemSchema>;

export const PageQuerySchema = z.object({ page: pageNumber, pageSize });

export const ReleaseRequestListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        recipient: z.string(),
        receivedAt: z.string(),
        sender: z.string(),
        subject: z.string(),
        reason: z.enum(HELD_REASONS),
        detail: z.string().nullable(),
        size: z.number().int(),
      }),
    ),
    total: z.number().int(),
  })
  .openapi('ReleaseRequestList');

export const DecisionBodySchema = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: 'invalid' }),
    /** Why, for the record: a ticket number, a word with the user. */
    reason: z
      .string({ error: 'required' })
      .max(500, { error: 'too_long' })
      .refine((text) => text.trim() !== '', { error: 'required' })
      .refine((text) => !/\p{Cc}/u.test(text), { error: 'invalid' }),
  })
  .strict();

export const DIGEST_SCHEDULES = ['never', 'daily', 'weekly'] as const;
export const MAIL_LANGUAGES = ['en', 'el'] as const;

/** The user's held-mail digest: how often, and in which language. */
export const DigestSettingsSchema = z
  .object({
    schedule: z.enum(DIGEST_SCHEDULES, { error: 'invalid' }),
    language: z.enum(MAIL_LANGUAGES, { error: 'invalid' }),
  })
  .strict()
  .openapi('DigestSettings');
export type DigestChoice = z.infer<typeof DigestSettingsSchema>;
