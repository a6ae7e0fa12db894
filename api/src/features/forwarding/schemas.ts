import { z } from '@hono/zod-openapi';
import { ScriptStatusFields } from '../../shared/schemas/script-status';

export const ForwardingSettingsSchema = z
  .object({
    addresses: z.array(z.string({ error: 'invalid' }).max(254, { error: 'too_long' }), { error: 'invalid' }).max(50, { error: 'too_many' }),
    keepCopy: z.boolean({ error: 'required' }).openapi({ description: 'Keep a copy in the mailbox as well' }),
  })
  .strict()
  .openapi('ForwardingSettings');

export const ForwardingViewSchema = z
  .object({
    ...ScriptStatusFields,
    forwarding: ForwardingSettingsSchema,
    limits: z.object({ maxAddresses: z.number().openapi({ description: 'Also counts the redirects in the user’s own filters (the server’s MAXREDIRECTS)' }) }),
    store: z.enum(['sieve', 'ldap']),
  })
  .openapi('ForwardingView');

export type ForwardingInput = z.infer<typeof ForwardingSettingsSchema>;
export type ForwardingView = z.infer<typeof ForwardingViewSchema>;
