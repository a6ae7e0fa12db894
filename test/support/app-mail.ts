// Mail the app itself sends (held-mail digests, release decisions), as the stack's outbox
// captured it, parsed back with postal-mime.
import PostalMime, { type Email } from 'postal-mime';
import { readOutbox, type OutboxMessage } from './stack';

/** From the local config (deploy/config/local.yaml, outbound.fromAddress). */
export const APP_FROM = 'no-reply@cs.ucy.ac.cy';

/** The ids already in the outbox, so a test counts only what it caused. */
export async function outboxIds(): Promise<Set<string>> {
  return new Set((await readOutbox()).map((m) => m.id));
}

export interface AppMail {
  captured: OutboxMessage;
  parsed: Email;
}

/** The app's mail to `address` captured since `before` was taken, oldest first. */
export async function appMailTo(address: string, before: ReadonlySet<string>): Promise<AppMail[]> {
  const fresh = (await readOutbox()).filter((m) => !before.has(m.id) && m.sender === APP_FROM && m.recipients.includes(address));
  return Promise.all(fresh.map(async (captured) => ({ captured, parsed: await PostalMime.parse(captured.raw) })));
}

/** The raw header block of a message (for what a parser would smooth over). */
export function headerBlock(raw: string): string {
  return raw.split(/\r?\n\r?\n/)[0] ?? '';
}
