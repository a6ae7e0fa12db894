// English: where mail leaves the account (the overview and the forwarding page) and the
// alerts with "This wasn't me" (the overview and the Security page). Merged under `exits`
// when a component that shows them loads (i18n/exits-messages.ts), never in the first view.
const en = {
  heading: 'Where your mail goes',
  intro: 'Every way your mail leaves this account, wherever it was set up.',
  none: 'Your mail is not sent on anywhere.',
  count: 'Mail is sent on to {count} of at most {limit} addresses. | Mail is sent on to {count} of at most {limit} addresses.',
  source: {
    forwarding: 'Forwarding page',
    filter: 'Filter “{place}”',
    sieve: 'Your own Sieve',
    sievePlace: 'Your own Sieve ({place})',
    ldap: 'The university directory',
  },
  copy: 'a copy stays here',
  noCopy: 'no copy stays in the Inbox',
  inactive: 'switched off: not counted',
  edit: 'Change it',
  editLdap: 'Set in the directory: the forwarding page or the helpdesk changes it.',
  alerts: {
    heading: 'Security alerts',
    loading: 'Loading alerts…',
    'forward-added': 'Your mail started to be forwarded to {address} ({source}).',
    'redirect-added': 'A filter started sending your mail on to {address} ({source}).',
    'reply-from-changed': 'Your automatic reply now says it is from “{from}”.',
    when: 'On {when}, from the address {client}.',
    gone: 'This is no longer set.',
    wasMe: 'That was me',
    notMe: 'This wasn’t me',
    resolvedMe: 'You said this was you.',
    resolvedNotMe: 'You said this wasn’t you; it was removed and your other sessions were signed out.',
    confirmTitle: 'Secure your account',
    confirmRemove: 'Forwarding to {address} ({source}) will be removed. Nothing else in your settings changes.',
    confirmNothingToRemove: 'There is nothing left to remove for this alert.',
    confirmSessions: 'Every other place where you are signed in (other browsers, phones) will be signed out. You stay signed in here.',
    confirmPassword: 'Then change your password and tell the helpdesk.',
    confirm: 'Remove and sign out the others',
    cancel: 'Cancel',
    done: 'Done: {removed}{sessions}',
    doneRemoved: 'forwarding to {address} was removed. ',
    doneSessions: '{count} other session was signed out. | {count} other sessions were signed out.',
  },
};

export type Messages = typeof en;
export default en;
