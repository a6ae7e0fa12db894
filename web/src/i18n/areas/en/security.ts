// English: the words of the Security page (sessions, sign-ins, changes, helpdesk).
// Merged under `security` by i18n/security-messages.ts when the page opens. Format of i18n/format.ts.
const en = {
  title: 'Security',
  description: 'Where you are signed in, recent sign-ins, and every change to how your mail is delivered.',
  loading: 'Loading…',
  timeZone: 'Times are in {zone}.',
  unknown: 'Unknown',
  sessions: {
    heading: 'Where you are signed in',
    thisSession: 'This session',
    device: 'Browser and system',
    address: 'Address',
    how: 'How',
    started: 'Signed in',
    lastSeen: 'Last active',
    actions: 'Actions',
    signOut: 'Sign out',
    signOutNamed: 'Sign out the session of {device}',
    signOutOthers: 'Sign out everywhere else',
    endedOne: 'That session is signed out.',
    endedOthers: 'No other session was signed in. | {count} other session is signed out. | {count} other sessions are signed out.',
    onlyThis: 'You are signed in only here.',
    fullUserAgent: 'Browser identification: {agent}',
  },
  method: {
    password: 'Password',
    sso: 'From the webmail',
  },
  signIns: {
    heading: 'Sign-ins in the last 30 days',
    none: 'No sign-ins recorded yet.',
    when: 'When',
    result: 'Result',
    outcome: {
      success: 'Signed in',
      wrongPassword: 'Wrong password',
      throttled: 'Refused: too many wrong passwords',
      refused: 'Refused',
    },
  },
  changes: {
    heading: 'What changed',
    none: 'No changes in the last 30 days.',
    what: 'What',
    by: 'By',
    area: {
      vacation: 'Vacation reply',
      spam: 'Spam',
      forwarding: 'Forwarding',
      allowBlock: 'Blocked and allowed senders',
      filters: 'Filters',
      script: 'Sieve script',
      aliases: 'Aliases',
      other: 'Other settings',
    },
    how: {
      page: 'Saved on its page',
      raw: 'Edited in the Sieve editor',
      takeOver: 'Another program’s script taken over',
      activate: 'Another script made active',
      directory: 'Saved on its page',
      other: 'Changed in this app',
    },
    outside: {
      scriptChanged: 'Changed outside this app: another mail program edited your filters',
      otherScriptActive: 'Changed outside this app: another program made its own script the active one',
      scriptDeactivated: 'Changed outside this app: your filters were switched off',
      ldapForwardingChanged: 'Changed outside this app: forwarding in the user directory',
      other: 'Changed outside this app',
    },
    thisSession: 'This session',
    otherSession: 'Another session of yours',
    outsideActor: 'Another program',
    helpdeskActor: 'The helpdesk',
    fromAddress: 'from {address}',
  },
  helpdesk: {
    heading: 'Helpdesk',
    none: 'Nobody from the helpdesk has looked at your account in the last 30 days.',
    entry: 'Helpdesk member {name} {what} — reason: “{reason}” — {time}',
    kind: {
      view: 'viewed your settings',
      action: 'made a change for you',
    },
    what: {
      sessionsRevoked: 'signed you out everywhere',
    },
  },
};

export type Messages = typeof en;
export default en;
