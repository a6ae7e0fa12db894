import { z } from '@hono/zod-openapi';

export const MailExitSchema = z
  .object({
    id: z.string(),
    source: z.enum(['forwarding', 'filter', 'sieve', 'ldap']).openapi({
      description: 'forwarding: the forwarding page (Sieve store); filter: a rule’s forward action; sieve: a redirect in Sieve the app did not write (raw editor, other clients); ldap: the directory’s mailForwardingAddress',
    }),
    address: z.string(),
    keepsCopy: z.boolean(),
    active: z.boolean().openapi({ description: 'false: in a disabled rule or under if false (shown, not counted)' }),
    place: z.string().optional().openapi({ description: 'The rule’s name, or the block’s writer and name' }),
  })
  .openapi('MailExit');

export const ExitsViewSchema = z
  .object({
    etag: z.string(),
    exits: z.array(MailExitSchema),
    limit: z.number().int().openapi({ description: 'The server’s redirect limit (MAXREDIRECTS), shared by every exit' }),
    counted: z.number().int(),
  })
  .openapi('MailExits');

export const AlertSchema = z
  .object({
    id: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
    what: z.string().openapi({ description: 'forward-added | redirect-added | reply-from-changed' }),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    resolved: z.enum(['acknowledged', 'not-me']).nullable(),
    exit: MailExitSchema.nullable().openapi({ description: 'The exit as it is now; null when it is gone' }),
  })
  .openapi('Alert');

export const AlertsViewSchema = z.object({ etag: z.string(), alerts: z.array(AlertSchema) }).openapi('Alerts');

export const NotMeResultSchema = z
  .object({ removed: MailExitSchema.nullable(), sessionsEnded: z.number().int() })
  .openapi('NotMeResult');

export const AlertParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'invalid' })
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const EmptyBodySchema = z.object({}).strict();

export type MailExit = z.infer<typeof MailExitSchema>;
export type ExitsView = z.infer<typeof ExitsViewSchema>;
export type AlertView = z.infer<typeof AlertSchema>;
export type AlertsView = z.infer<typeof AlertsViewSchema>;
export type NotMeResult = z.infer<typeof NotMeResultSchema>;
