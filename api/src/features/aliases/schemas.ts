import { z } from '@hono/zod-openapi';

// Field codes instead of prose (see http/router.ts): the SPA translates them.
const addressText = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'invalid') })
  .max(320, { error: 'too_long' });

export const SetAliasSchema = z
  .object({
    address: addressText.openapi({
      example: 'bob.the.builder@cs.ucy.ac.cy',
      description: 'The new additional alias: a full address in the site’s domain, or just the part before the @',
    }),
    replace: addressText.optional().openapi({
      description: 'Which of the user’s additional aliases this one replaces. Optional: with one alias allowed, the one there is replaced',
    }),
  })
  .strict()
  .openapi('SetAlias');

export const AliasQuerySchema = z.object({
  address: addressText.openapi({ param: { name: 'address', in: 'query' }, example: 'bob.the.builder' }),
});

export const RemoveAliasQuerySchema = z.object({
  address: addressText.optional().openapi({ param: { name: 'address', in: 'query' }, description: 'Which alias; optional when there is one' }),
});

export const AliasesSchema = z
  .object({
    login: z.string().openapi({ description: 'The login address (mail): fixed' }),
    default: z.string().nullable().openapi({ description: 'The central default alias first.last: read-only here' }),
    additional: z.array(z.string()).openapi({ description: 'The user’s own aliases (at most policy.maxAdditional)' }),
    policy: z.object({
      domain: z.string(),
      minLocalPartLength: z.number().int(),
      maxLocalPartLength: z.number().int(),
      maxAdditional: z.number().int(),
      punctuation: z.string().openapi({ description: 'Allowed besides ASCII letters and digits, e.g. ".-"' }),
    }),
  })
  .openapi('Aliases');

export const AliasChangeSchema = AliasesSchema.extend({
  changed: z.boolean().openapi({ description: 'False when the request changed nothing (already so)' }),
}).openapi('AliasChange');

export const AvailabilitySchema = z
  .object({
    available: z.boolean(),
    reason: z
      .enum(['required', 'too_long', 'too_short', 'invalid_characters', 'bad_punctuation', 'wrong_domain', 'role_address', 'own_address', 'reserved', 'taken'])
      .optional()
      .openapi({ description: 'Why not; `taken` never says by whom' }),
  })
  .openapi('AliasAvailability');

export type Aliases = z.infer<typeof AliasesSchema>;
export type AliasChange = z.infer<typeof AliasChangeSchema>;
export type AliasAvailability = z.infer<typeof AvailabilitySchema>;
