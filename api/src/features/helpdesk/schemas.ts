import { z } from '@hono/zod-openapi';

export const HELPDESK_ACTIONS = ['vacation-off', 'remove-forward', 'empty-spam'] as const;

/** Why a member looks or acts, for the record the user sees: a ticket number, a word with the user. */
export const ReasonSchema = z
  .string({ error: 'required' })
  .max(200, { error: 'too_long' })
  .refine((text) => text.trim() !== '', { error: 'required' })
  .refine((text) => !/[\p{Cc}\p{Cf}]/u.test(text), { error: 'invalid_characters' })
  .openapi({ example: 'ticket 4711', description: 'Required; shown to the user on their Security page' });

export const SearchQuerySchema = z.object({
  // Long enough to reach the service's own check, which answers too_long with a clear code.
  q: z.string({ error: 'required' }).max(2000, { error: 'too_long' }).openapi({ description: 'Part of a login, an address or alias, or a name (any case, accents optional); 2–100 characters' }),
});

export const UserParamSchema = z.object({ uid: z.string().max(64, { error: 'invalid' }).openapi({ param: { name: 'uid', in: 'path' }, example: 'alice' }) });
export const ActionParamSchema = UserParamSchema.extend({
  action: z.enum(HELPDESK_ACTIONS, { error: 'invalid' }).openapi({ param: { name: 'action', in: 'path' } }),
});

export const ReasonQuerySchema = z.object({ reason: ReasonSchema });

export const TraceQuerySchema = z.object({
  reason: ReasonSchema,
  since: z.string().max(64, { error: 'invalid' }).optional().openapi({ example: '2026-12-07T08:00:00Z', description: 'Start of the window (required; at most 7 days before until)' }),
  until: z.string().max(64, { error: 'invalid' }).optional().openapi({ example: '2026-12-07T18:00:00Z' }),
  sender: z.string().max(1000, { error: 'too_long' }).optional().openapi({ description: 'Part of the envelope sender or From header' }),
  messageId: z.string().max(1000, { error: 'too_long' }).optional().openapi({ description: 'With or without angle brackets' }),
});

export const ActionBodySchema = z
  .object({
    reason: ReasonSchema,
    confirm: z.string({ error: 'required' }).max(64, { error: 'mismatch' }).openapi({ description: 'The login of the user acted on, as the confirmation named them' }),
    address: z.string().max(254, { error: 'too_long' }).optional().openapi({ description: 'remove-forward: the address' }),
    spam: z
      .object({ uidValidity: z.string().max(20), uidNext: z.number().int().min(1), expectedMessages: z.number().int().min(0) })
      .strict()
      .optional()
      .openapi({ description: 'empty-spam: the SPAM folder as the delivery screen showed it' }),
  })
  .strict();

export const WhoAmISchema = z.object({ may: z.enum(['act', 'look']), actions: z.array(z.enum(HELPDESK_ACTIONS)) }).openapi('HelpdeskMember');

export const SearchResultSchema = z
  .object({
    users: z.array(z.object({ uid: z.string(), displayName: z.string(), mail: z.string(), matchedAddress: z.string().nullable() })),
    truncated: z.boolean().openapi({ description: 'More people matched than were compared: type more' }),
  })
  .openapi('HelpdeskSearch');

// The screens' bodies are built by the services and typed there; described loosely here.
export const DeliveryScreenSchema = z.object({ user: z.object({ uid: z.string(), displayName: z.string() }), screen: z.record(z.string(), z.unknown()) }).openapi('HelpdeskDelivery');
export const ExplanationSchema = z.object({ messages: z.array(z.record(z.string(), z.unknown())), cannotShow: z.array(z.string()) }).openapi('HelpdeskExplanation');
