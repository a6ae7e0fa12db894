import { createRoute, z } from '@hono/zod-openapi';
import { IMAP_GREETING, SIEVE_GREETING, probeGreeting } from '../backends/director-probe';
import { newRouter } from '../http/router';
import type { Services } from '../services';

const Check = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
const HealthSchema = z
  .object({
    ok: z.boolean().openapi({ description: 'LDAP answers and at least one director answers' }),
    ldap: Check,
    directors: z.array(z.object({ name: z.string(), imap: Check, sieve: Check })),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  summary: 'LDAP and each director, with status and latency',
  responses: {
    200: { description: 'Usable', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Not usable', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function healthRoutes({ config, directory }: Services) {
  const timeout = config.mailTransport.connectTimeoutMs;
  return newRouter().openapi(health, async (c) => {
    const ldapStarted = performance.now();
    const ldap = await directory.ping().then(
      () => ({ ok: true }),
      (e: Error) => ({ ok: false, error: e.message.split(':')[0] ?? 'error' }),
    );
    const ldapCheck = { ...ldap, latencyMs: Math.round((performance.now() - ldapStarted) * 10) / 10 };
    const directors = await Promise.all(
      config.directors.map(async (d) => ({
        name: d.name,
        imap: await probeGreeting(d.host, d.imapPort, IMAP_GREETING, timeout),
        sieve: await probeGreeting(d.host, d.sievePort, SIEVE_GREETING, timeout),
      })),
    );
    const ok = ldapCheck.ok && directors.some((d) => d.imap.ok && d.sieve.ok);
    c.header('Cache-Control', 'no-store');
    return c.json({ ok, ldap: ldapCheck, directors }, ok ? 200 : 503);
  });
}
