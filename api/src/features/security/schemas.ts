import { z } from '@hono/zod-openapi';

const time = z.string().openapi({ format: 'date-time' });
const agent = {
  userAgent: z.string().openapi({ description: 'Without control characters, at most 256 characters' }),
  browser: z.string().nullable().openapi({ description: 'Parsed from the User-Agent, e.g. "Firefox 128"' }),
  os: z.string().nullable().openapi({ description: 'Parsed from the User-Agent, e.g. "Windows 10"' }),
};

export const SecuritySchema = z
  .object({
    timeZone: z.string(),
    sessions: z.array(
      z.object({
        id: z.string().openapi({ description: 'Opaque; pass to DELETE /api/sessions/{id}' }),
        current: z.boolean(),
        method: z.enum(['password', 'sso']),
        createdAt: time,
        lastSeen: time,
        clientAddress: z.string(),
        ...agent,
      }),
    ),
    signIns: z.array(
      z.object({
        at: time,
        outcome: z.enum(['success', 'wrong-password', 'throttled', 'refused']),
        method: z.enum(['password', 'sso']),
        clientAddress: z.string(),
        ...agent,
      }),
    ),
    changes: z.array(
      z.object({
        at: time,
        area: z.string().openapi({ description: "'vacation', 'spam', 'forwarding', 'allow-block', 'filters', 'script', 'aliases'" }),
        source: z.enum(['app', 'outside', 'helpdesk']),
        what: z.string().openapi({ description: "A stable code: how the app changed it ('page', 'raw', 'take-over', 'activate', 'directory') or what was found changed outside it" }),
        details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
        sessionId: z.string().nullable(),
        session: z.enum(['this', 'other']).nullable(),
        clientAddress: z.string().optional(),
      }),
    ),
    helpdesk: z.array(
      z.object({ at: time, actor: z.string(), actorName: z.string(), kind: z.enum(['view', 'action']), what: z.string(), reason: z.string() }),
    ),
  })
  .openapi('Security');

export type SecurityResponse = z.infer<typeof SecuritySchema>;
