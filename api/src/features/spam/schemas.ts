import { z } from '@hono/zod-openapi';
import { ScriptStatusFields } from '../../shared/schemas/script-status';

export const SPAM_LEVELS = ['off', 'lenient', 'standard', 'strict', 'custom'] as const;
export type SpamLevel = (typeof SPAM_LEVELS)[number];

const score = z.number({ error: 'not_a_number' }).refine(Number.isFinite, { error: 'not_a_number' });
const entries = z.array(z.string({ error: 'invalid' }).max(254, { error: 'too_long' }), { error: 'invalid' });

export const SpamSettingsSchema = z
  .object({
    level: z.enum(SPAM_LEVELS, { error: 'invalid' }).openapi({ description: 'standard = the site’s own tagging; custom uses threshold' }),
    threshold: score.nullable().openapi({ description: 'Score at or over which mail is filed (custom level)' }),
    folder: z.enum(['SPAM', 'Junk'], { error: 'invalid' }),
    discardAbove: score.nullable().openapi({ description: 'Score at or over which mail is deleted without trace; null: never' }),
    allow: entries.openapi({ description: 'Addresses or whole domains never treated as spam' }),
    block: entries.openapi({ description: 'Addresses or whole domains whose mail is stopped' }),
    blockAction: z.enum(['discard', 'folder'], { error: 'invalid' }).openapi({ description: 'Blocked mail is deleted, or filed into the spam folder' }),
  })
  .strict()
  .openapi('SpamSettings');

const folder = z.string();
const discardFrom = z.number().nullable().openapi({ description: 'Mail scoring this or more is deleted; null: never' });
/** What delivery does with suspected spam now (features/spam/delivery.ts); the pages' sentences are made from it. */
export const SpamDeliverySchema = z
  .discriminatedUnion('filing', [
    z.object({ filing: z.literal('none') }),
    z.object({ filing: z.literal('foreign') }),
    z.object({ filing: z.literal('flagged'), folder, from: z.number().openapi({ description: 'The site’s tag level' }), discardFrom }),
    z.object({ filing: z.literal('score'), folder, from: z.number().openapi({ description: 'The lowest score the server files' }), discardFrom }),
  ])
  .openapi('SpamDelivery');

export const SpamViewSchema = z
  .object({
    ...ScriptStatusFields,
    spam: SpamSettingsSchema,
    presets: z.array(z.object({ level: z.enum(SPAM_LEVELS), threshold: z.number().nullable() })),
    siteThreshold: z.number(),
    quarantineScore: z.number().openapi({ description: 'Mail scoring this or more is quarantined at the relays and never arrives' }),
    effectiveThreshold: z.number().nullable().openapi({ description: 'The lowest score the server files, given its coarse spamtest scale' }),
    lowestThreshold: z.number().openapi({ description: 'The lowest threshold the server’s scale tells from a score of 0 (below it every message would match: refused, below_scale)' }),
    maxListEntries: z.number(),
    delivery: SpamDeliverySchema,
    held: z
      .object({
        from: z.number().openapi({ description: 'Mail scoring this or more is held by the site’s content filter (the user’s own level when followsDiscard)' }),
        days: z.number().int().openapi({ description: 'How long held mail is kept on the Held mail page' }),
        followsDiscard: z.boolean().openapi({ description: 'The user’s "delete above" score is the filter’s hold level for her' }),
      })
      .nullable()
      .openapi({ description: 'null: the site has no quarantine this app shows' }),
  })
  .openapi('SpamView');

export type SpamInput = z.infer<typeof SpamSettingsSchema>;
export type SpamView = z.infer<typeof SpamViewSchema>;
