import { z } from '@hono/zod-openapi';
import { ScriptStatusFields } from '../../shared/schemas/script-status';
import { isValidTimeZone, parseLocalDateTime } from '../../shared/zoned-time';

/** Limits of what a reply may hold; Sieve would carry more, people should not need more. */
export const VACATION_LIMITS = {
  subjectMaxLength: 200,
  messageMaxLength: 10_000,
  intervalDaysMin: 1,
  intervalDaysMax: 30,
} as const;

const localDateTime = z
  .string()
  .refine((v) => parseLocalDateTime(v) !== null, { error: 'invalid' })
  .nullable()
  .openapi({ example: '2026-12-24T00:00', description: 'Wall-clock time in timeZone; null: no bound' });

export const VacationSettingsSchema = z
  .object({
    enabled: z.boolean({ error: 'required' }),
    start: localDateTime,
    end: localDateTime.openapi({ description: 'Replies stop at this time (exclusive); null: until turned off' }),
    timeZone: z
      .string({ error: 'required' })
      .max(64, { error: 'invalid' })
      .refine(isValidTimeZone, { error: 'invalid' })
      .openapi({ example: 'Europe/Nicosia' }),
    subject: z.string({ error: 'required' }).max(VACATION_LIMITS.subjectMaxLength, { error: 'too_long' }),
    message: z.string({ error: 'required' }).max(VACATION_LIMITS.messageMaxLength, { error: 'too_long' }),
    intervalDays: z
      .number({ error: 'invalid' })
      .int({ error: 'invalid' })
      .min(VACATION_LIMITS.intervalDaysMin, { error: 'out_of_range' })
      .max(VACATION_LIMITS.intervalDaysMax, { error: 'out_of_range' })
      .openapi({ description: 'At most one reply per sender in this many days' }),
    from: z.string().max(254, { error: 'too_long' }).nullable().openapi({ description: 'One of the user’s addresses; null: the address the mail was sent to' }),
  })
  .strict()
  .openapi('VacationSettings');

export const VacationViewSchema = z
  .object({
    ...ScriptStatusFields,
    vacation: VacationSettingsSchema,
    vacationElsewhere: z.boolean().openapi({
      description: 'The user’s own Sieve (a filter or custom block) already replies; turning this on is refused (enabled: vacation_elsewhere)',
    }),
    addresses: z.array(z.object({ address: z.string(), kind: z.enum(['login', 'default', 'alias']) })),
    neverAnswered: z
      .object({
        localParts: z.array(z.string()).openapi({ description: 'No reply to a sender whose address (envelope or From) has one of these local parts, any case, +detail included' }),
        flaggedSpam: z.boolean().openapi({ description: 'No reply to mail the site’s filter flagged as spam, whatever the spam level' }),
      })
      .openapi({ description: 'Who never gets a reply (the site’s list, applied on save)' }),
    limits: z.object({
      subjectMaxLength: z.number(),
      messageMaxLength: z.number(),
      intervalDaysMin: z.number(),
      intervalDaysMax: z.number(),
    }),
  })
  .openapi('VacationView');

export type VacationInput = z.infer<typeof VacationSettingsSchema>;
export type VacationView = z.infer<typeof VacationViewSchema>;
