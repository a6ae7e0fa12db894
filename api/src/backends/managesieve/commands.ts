/**
 * The RFC 5804 commands: for each, how its request is built and how its OK reply is read.
 * `exec` sends one request and resolves only on OK (NO and BYE reject with a typed error), so
 * a command here deals only with the success shape.
 */
import { buildCommand, lit, num, str, validateScriptName } from './builder';
import { parseCapabilities, type ManageSieveCapabilities } from './capabilities';
import type { Reply } from './connection';
import { ManageSieveError } from './errors';
import { MAX_PROTOCOL_NUMBER } from './limits';

/** Sends `request` for `verb`; resolves with the reply on OK, rejects on NO/BYE/loss. */
export type Exec = (verb: string, request: Buffer) => Promise<Reply>;

export interface ScriptListEntry {
  name: string;
  active: boolean;
}

export interface ScriptResult {
  /** Present when the server answered `OK (WARNINGS) "…"`: its text, as sent. */
  warnings?: string;
}

function protocol(message: string): ManageSieveError {
  return new ManageSieveError('PROTOCOL', message);
}

function warningsOf(reply: Reply): ScriptResult {
  const { code, text } = reply.response;
  return code?.name === 'WARNINGS' ? { warnings: text ?? '' } : {};
}

/** The greeting and the reply after a STARTTLS handshake are capability lines then OK. */
export function parseGreeting(reply: Reply): ManageSieveCapabilities {
  return parseCapabilities(reply.lines);
}

export const startTlsRequest = (): Buffer => buildCommand('STARTTLS');
export const logoutRequest = (): Buffer => buildCommand('LOGOUT');

export async function capability(exec: Exec): Promise<ManageSieveCapabilities> {
  const reply = await exec('CAPABILITY', buildCommand('CAPABILITY'));
  return parseCapabilities(reply.lines);
}

/**
 * SASL PLAIN with the initial response in the command (RFC 5804 section 2.1). `authzid` is the
 * user to act as when `authcid` is a master user. The credentials never appear in errors.
 */
export async function authenticatePlain(
  exec: Exec,
  auth: { authcid: string; password: string; authzid?: string },
): Promise<void> {
  const message = `${auth.authzid ?? ''}\0${auth.authcid}\0${auth.password}`;
  const initial = Buffer.from(message, 'utf8').toString('base64');
  await exec('AUTHENTICATE', buildCommand('AUTHENTICATE', str('PLAIN'), str(initial)));
}

export async function listScripts(exec: Exec): Promise<ScriptListEntry[]> {
  const reply = await exec('LISTSCRIPTS', buildCommand('LISTSCRIPTS'));
  return reply.lines.map((line) => {
    const [name, flag, ...extra] = line;
    if (name?.type !== 'string' || extra.length > 0) throw protocol('malformed LISTSCRIPTS line');
    if (flag !== undefined && !(flag.type === 'atom' && flag.value.toUpperCase() === 'ACTIVE')) {
      throw protocol('malformed LISTSCRIPTS line');
    }
    return { name: name.value, active: flag !== undefined };
  });
}

export async function getScript(exec: Exec, name: string): Promise<string> {
  validateScriptName(name);
  const reply = await exec('GETSCRIPT', buildCommand('GETSCRIPT', str(name)));
  const [line, ...extra] = reply.lines;
  const script = line?.[0];
  if (line?.length !== 1 || script?.type !== 'string' || extra.length > 0) {
    throw protocol('GETSCRIPT reply is not exactly one string');
  }
  return script.value;
}

/**
 * The script goes as a literal exactly as given: no line-ending normalisation by us.
 * Pigeonhole 0.5 stores the octets as received, mixed CRLF/LF included, so GETSCRIPT returns
 * them unchanged (checked against the real stack in test/integration/managesieve.test.ts).
 * Other servers may differ: thsmi/sieve notes servers that normalise to CRLF.
 */
export async function putScript(exec: Exec, name: string, content: string): Promise<ScriptResult> {
  validateScriptName(name);
  return warningsOf(await exec('PUTSCRIPT', buildCommand('PUTSCRIPT', str(name), lit(content))));
}

/** RFC 5804 section 2.12 (needs VERSION "1.0"). A NO carries the server's error text. */
export async function checkScript(exec: Exec, content: string): Promise<ScriptResult> {
  return warningsOf(await exec('CHECKSCRIPT', buildCommand('CHECKSCRIPT', lit(content))));
}

/** An empty name deactivates every script (RFC 5804 section 2.8). */
export async function setActive(exec: Exec, name: string): Promise<void> {
  if (name !== '') validateScriptName(name);
  await exec('SETACTIVE', buildCommand('SETACTIVE', str(name)));
}

export async function deleteScript(exec: Exec, name: string): Promise<void> {
  validateScriptName(name);
  await exec('DELETESCRIPT', buildCommand('DELETESCRIPT', str(name)));
}

export async function renameScript(exec: Exec, oldName: string, newName: string): Promise<void> {
  validateScriptName(oldName);
  validateScriptName(newName);
  await exec('RENAMESCRIPT', buildCommand('RENAMESCRIPT', str(oldName), str(newName)));
}

/**
 * RFC 5804 section 2.5. A size beyond the protocol's 32-bit number cannot fit on any server:
 * that is answered QUOTA here without asking (nothing is sent, so `responseCode` is unset).
 */
export async function haveSpace(exec: Exec, name: string, sizeOctets: number): Promise<void> {
  validateScriptName(name);
  if (!Number.isInteger(sizeOctets) || sizeOctets < 0) {
    throw new ManageSieveError('BAD_ARGUMENT', `HAVESPACE size must be a non-negative integer, got ${sizeOctets}`);
  }
  if (sizeOctets > MAX_PROTOCOL_NUMBER) {
    throw new ManageSieveError(
      'QUOTA',
      `a script of ${sizeOctets} octets exceeds the largest size ManageSieve can express (${MAX_PROTOCOL_NUMBER})`,
    );
  }
  await exec('HAVESPACE', buildCommand('HAVESPACE', str(name), num(sizeOctets)));
}

export async function noop(exec: Exec): Promise<void> {
  await exec('NOOP', buildCommand('NOOP'));
}
