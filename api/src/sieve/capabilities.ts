import type { Argument, Command, Test } from './ast.js';

/** Extensions a command or test needs by name alone (RFC 5228 and the extension RFCs). */
const BY_NAME: Readonly<Record<string, string>> = {
  fileinto: 'fileinto',
  reject: 'reject',
  ereject: 'ereject',
  envelope: 'envelope',
  vacation: 'vacation',
  addflag: 'imap4flags',
  setflag: 'imap4flags',
  removeflag: 'imap4flags',
  hasflag: 'imap4flags',
  body: 'body',
  date: 'date',
  currentdate: 'date',
  set: 'variables',
  string: 'variables',
  include: 'include',
  return: 'include',
  global: 'include',
  addheader: 'editheader',
  deleteheader: 'editheader',
  mailboxexists: 'mailbox',
  virustest: 'virustest',
  notify: 'enotify',
  duplicate: 'duplicate',
  ihave: 'ihave',
  environment: 'environment',
};

/** Extensions a tag needs wherever it appears. */
const BY_TAG: Readonly<Record<string, string>> = {
  copy: 'copy',
  create: 'mailbox',
  regex: 'regex',
  value: 'relational',
  count: 'relational',
  user: 'subaddress',
  detail: 'subaddress',
  index: 'index',
  seconds: 'vacation-seconds',
  flags: 'imap4flags',
};

/** The `require` set a list of commands needs. Sorted, without duplicates. */
export function requiredCapabilities(commands: readonly Command[]): string[] {
  const found = new Set<string>();
  const visitArgs = (args: readonly Argument[]) => {
    args.forEach((arg, i) => {
      if (arg.type !== 'tag') return;
      const name = arg.name.toLowerCase();
      const ext = BY_TAG[name];
      if (ext) found.add(ext);
      const next = args[i + 1];
      if (name === 'comparator' && next?.type === 'string' && !['i;octet', 'i;ascii-casemap'].includes(next.value)) {
        found.add(`comparator-${next.value}`);
      }
    });
  };
  const visitTest = (t: Test) => {
    const name = t.name.toLowerCase();
    if (name === 'spamtest') {
      found.add(t.arguments.some((a) => a.type === 'tag' && a.name.toLowerCase() === 'percent') ? 'spamtestplus' : 'spamtest');
    } else if (BY_NAME[name]) {
      found.add(BY_NAME[name]);
    }
    visitArgs(t.arguments);
    t.tests.forEach(visitTest);
  };
  const visitCommand = (c: Command) => {
    const ext = BY_NAME[c.name.toLowerCase()];
    if (ext) found.add(ext);
    visitArgs(c.arguments);
    c.tests.forEach(visitTest);
    c.block?.forEach(visitCommand);
  };
  commands.forEach(visitCommand);
  // vacation-seconds implies vacation (RFC 6131 §2), so Pigeonhole accepts either alone.
  if (found.has('vacation-seconds')) found.delete('vacation');
  return [...found].sort();
}

/**
 * Extensions every use of which requiredCapabilities sees (a command, test or tag): when it
 * does not find one in a script, the script does not use it. Not so `variables` (`${…}` in any
 * string), `encoded-character`, `ihave` (`error`), `enotify` (its tests) or anything unknown.
 */
const DETECTABLE = new Set([...Object.values(BY_NAME), ...Object.values(BY_TAG), 'spamtest', 'spamtestplus']);
for (const hidden of ['variables', 'ihave', 'enotify']) DETECTABLE.delete(hidden);

export function isDetectable(capability: string): boolean {
  return DETECTABLE.has(capability) || capability.startsWith('comparator-');
}

/**
 * Whether a `require` of `have` already allows what `capability` names: vacation-seconds
 * includes vacation (RFC 6131 §2), spamtestplus includes spamtest (RFC 5235 §3.2).
 */
export function isCovered(capability: string, have: ReadonlySet<string>): boolean {
  return have.has(capability) || (capability === 'vacation' && have.has('vacation-seconds')) || (capability === 'spamtest' && have.has('spamtestplus'));
}

/** Requirements a server does not advertise. Capability names are case-sensitive in Pigeonhole. */
export function missingCapabilities(required: readonly string[], serverCapabilities: readonly string[]): string[] {
  const have = new Set(serverCapabilities);
  // spamtestplus is a superset of spamtest (RFC 5235 §3.2).
  return required.filter((r) => !have.has(r) && !(r === 'spamtest' && have.has('spamtestplus')));
}
