import { z } from '@hono/zod-openapi';

// Control characters (NUL, CR, LF …) never belong in a login name, and no directory or mail
// protocol should ever see them.
const CONTROL_CHARACTERS = /\p{Cc}/u;

export const LoginSchema = z
  .object({
    username: z
      .string({ error: 'required' })
      .trim()
      .min(1, { error: 'required' })
      .max(254, { error: 'too_long' })
      .refine((v) => !CONTROL_CHARACTERS.test(v), { error: 'invalid' })
      .openapi({ example: 'alice', description: 'Login name (uid) or any of the user’s addresses' }),
    password: z
      .string({ error: 'required' })
      .min(1, { error: 'required' })
      .max(512, { error: 'too_long' })
      .refine((v) => !v.includes('\0'), { error: 'invalid' }),
  })
  .strict()
  .openapi('Login');

export const AddressSchema = z.object({
  address: z.string(),
  kind: z.enum(['login', 'default', 'alias']).openapi({
    description: 'login: the fixed login address; default: the central default alias (read-only); alias: the user’s own',
  }),
});

export const MeSchema = z
  .object({
    uid: z.string(),
    displayName: z.string(),
    addresses: z.array(AddressSchema),
    quarantine: z.boolean().openapi({ description: 'The site keeps held mail the user can see (the Held mail page)' }),
    helpdesk: z.boolean().openapi({ description: 'The user is a member of the helpdesk (read-only or not): the Helpdesk page is theirs' }),
  })
  .openapi('Me');

export const SessionInfoSchema = z
  .object({ me: MeSchema, csrfToken: z.string().openapi({ description: 'Echo in X-CSRF-Token on every state-changing request' }) })
  .openapi('SessionInfo');

export type Me = z.infer<typeof MeSchema>;

export type SessionInfo = z.infer<typeof SessionInfoSchema>;
