/**
 * Sends an IMAP command imapflow has no method for (here: `UID FILTER`, RFC 5466 with
 * Pigeonhole's FILTER=SIEVE), through imapflow's own command runner.
 *
 * imapflow sends every one of its commands through `exec(command, attributes, options)`: the
 * attributes are compiled to the wire by its own compiler (atoms, literals, sequences), and
 * `options.untagged` routes the untagged responses of that command to per-command handlers.
 * Its typings mark `exec` @internal and offer no public way to send another command, so this
 * module is the one place that relies on it, checks at run time that it is there, and turns
 * what it throws into our ImapError. test/integration/backends/imap-raw-command.test.ts runs
 * a real UID FILTER through it against the stack's Dovecot: it fails if imapflow renames
 * `exec`, changes its arguments, or stops handing untagged responses to the command's handlers.
 */
import type { ImapFlow } from 'imapflow';
import { ImapError, toImapError } from './errors';

/** One argument as imapflow's compiler takes it. */
export interface ImapAttribute {
  type: 'ATOM' | 'STRING' | 'LITERAL' | 'SEQUENCE';
  value: string;
}

/** An untagged response as imapflow's parser hands it over. */
export interface UntaggedResponse {
  command: string;
  attributes: Array<{ type?: string; value?: unknown } | null | undefined>;
}

export type UntaggedHandlers = Record<string, (response: UntaggedResponse) => void>;

/** Runs `command` and resolves once the server answered OK; a NO or BAD rejects with ImapError. */
export async function runImapCommand(client: ImapFlow, command: string, attributes: ImapAttribute[], untagged: UntaggedHandlers = {}): Promise<void> {
  const exec: unknown = Reflect.get(client, 'exec');
  if (typeof exec !== 'function') {
    throw new ImapError('COMMAND_FAILED', `cannot send ${command}: this imapflow has no command runner (exec)`);
  }
  const handlers = Object.fromEntries(
    Object.entries(untagged).map(([name, handle]) => [name, async (response: UntaggedResponse) => handle(response)]),
  );
  let result: unknown;
  try {
    result = await exec.call(client, command, attributes, { untagged: handlers });
  } catch (error) {
    throw toImapError(error);
  }
  // imapflow holds its parser until the caller says it is done with the response.
  const next: unknown = result !== null && typeof result === 'object' ? Reflect.get(result, 'next') : undefined;
  if (typeof next === 'function') next.call(result);
}
