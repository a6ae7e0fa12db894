import { createRoute, z } from '@hono/zod-openapi';
import { requireSession } from '../../http/middleware/session';
import { errorResponses, newRouter } from '../../http/router';
import type { Services } from '../../services';

const TakeOverSchema = z.object({}).strict().openapi('TakeOver');
const TakenOverSchema = z.object({ active: z.string().openapi({ description: 'The app’s script, now active' }) }).openapi('TakenOver');

const takeOver = createRoute({
  method: 'post',
  path: '/script/take-over',
  summary: 'Make the app’s script the active one, keeping every rule of the script that was active',
  description: 'The active script’s text becomes the app’s script (unknown rules kept verbatim, shown as custom Sieve); the other script stays on the server, untouched.',
  request: { body: { required: true, content: { 'application/json': { schema: TakeOverSchema } } } },
  responses: {
    200: { description: 'Taken over', content: { 'application/json': { schema: TakenOverSchema } } },
    ...errorResponses(401, 403, 422, 503),
  },
});

export function scriptRoutes(services: Services) {
  return newRouter().openapi(takeOver, async (c) => {
    const session = requireSession(c);
    await services.scripts.takeOver(session.uid, { clientAddress: c.get('clientAddress') });
    return c.json({ active: services.config.sieve.scriptName }, 200);
  });
}
