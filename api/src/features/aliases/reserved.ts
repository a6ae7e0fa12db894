/**
 * Local parts no user may take as an alias, whatever the alias policy's length: the role
 * mailboxes of RFC 2142 (§3–§5), the names mail software and operating systems use for
 * themselves, and the site's own list from the config. Whoever held `postmaster` or `abuse`
 * would read the complaints about everybody else's mail; `mailer-daemon` would send bounces.
 *
 * Names are compared by their skeleton, so the spellings the alias policy lets through all
 * meet: case (the policy lower-cases), separators (`post.master`, `mailer_daemon`,
 * `mailerdaemon`), and the ASCII look-alikes a reader takes for the name (`p0stmaster`,
 * `adm1nistrator`, `postrnaster`). Non-ASCII look-alikes never get this far: the policy
 * refuses them.
 */

/** RFC 2142: business, network and service role mailboxes. */
const RFC_2142 = ['info', 'marketing', 'sales', 'support', 'abuse', 'noc', 'security', 'postmaster', 'hostmaster', 'usenet', 'news', 'webmaster', 'www', 'uucp', 'ftp'];

/** Names of systems and administrators, and the usual aliases of the above. */
const SYSTEM = [
  'mailer-daemon',
  'mailerdaemon',
  'maildaemon',
  'mail-daemon',
  'root',
  'admin',
  'administrator',
  'administrators',
  'sysadmin',
  'system',
  'nobody',
  'noreply',
  'no-reply',
  'do-not-reply',
  'donotreply',
  'daemon',
  'bin',
  'operator',
  'manager',
  'dovecot',
  'vmail',
  'amavis',
  'clamav',
  'spam',
  'ham',
  'virusalert',
  'helpdesk',
  'help',
  'ssl-admin',
  'ssladmin',
  'security-alert',
  'phishing',
  'hostmaster-alerts',
  'list',
  'listmaster',
  'mailman',
  'mailman-owner',
  'owner',
  'bounce',
  'bounces',
  'mail',
  'email',
  'smtp',
  'imap',
  'ldap',
  'dmarc',
  'dmarc-reports',
  'tls-reports',
];

export const DEFAULT_RESERVED_LOCAL_PARTS: readonly string[] = [...RFC_2142, ...SYSTEM];

// ASCII characters read as another one, mapped to one representative; multi-letter shapes first.
const SHAPES: Array<[RegExp, string]> = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];
const LETTERS: Record<string, string> = { '0': 'o', '1': 'l', i: 'l', '!': 'l', '|': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '$': 's', '@': 'a' };

/** The form two local parts that read alike share: lower case, no separators, look-alikes folded. */
export function aliasSkeleton(localPart: string): string {
  let text = localPart.toLowerCase().replace(/[._+-]/g, '');
  for (const [shape, letter] of SHAPES) text = text.replace(shape, letter);
  return [...text].map((c) => LETTERS[c] ?? c).join('');
}

/** The skeletons of the built-in names, the site's list and the names of the app's own accounts. */
export function reservedSkeletons(siteNames: readonly string[]): ReadonlySet<string> {
  return new Set([...DEFAULT_RESERVED_LOCAL_PARTS, ...siteNames].map(aliasSkeleton).filter((s) => s.length > 0));
}

/** The user-like names of the accounts the API itself uses: its LDAP service account (the
 *  value of the DN's first RDN, `cn=emailng-api,…` → `emailng-api`) and the Dovecot master user. */
export function serviceAccountNames(serviceDn: string, masterUser: string): string[] {
  const rdn = /^[^=,]+=((?:[^,\\]|\\.)+)/.exec(serviceDn)?.[1] ?? '';
  return [rdn.replace(/\\(.)/g, '$1'), masterUser.split('@')[0] ?? ''].filter((n) => n.length > 0);
}

export function isReservedLocalPart(localPart: string, reserved: ReadonlySet<string>): boolean {
  return reserved.has(aliasSkeleton(localPart));
}
