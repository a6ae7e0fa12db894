// English messages, in the format of ../format.ts: {name} interpolates, "a | b" is
// singular | plural; every other character is literal.
const en = {
  app: {
    name: 'Mail settings',
    skipToContent: 'Skip to main content',
    mainNav: 'Settings sections',
    loading: 'Loading…',
  },
  lang: {
    label: 'Language',
    en: 'English',
    el: 'Greek',
  },
  nav: {
    overview: 'Overview',
    filters: 'Filters',
    vacation: 'Vacation reply',
    spam: 'Spam',
    forwarding: 'Forwarding',
    aliases: 'Aliases',
    quota: 'Quota',
  },
  session: {
    signedInAs: 'Signed in as {name}',
    signOut: 'Sign out',
  },
  signIn: {
    title: 'Sign in',
    intro: 'Sign in with your department account to manage how your mail is delivered.',
    username: 'User name or email address',
    usernameHint: 'Your login name (for example gandre01) or any of your addresses.',
    password: 'Password',
    showPassword: 'Show password',
    submit: 'Sign in',
    submitting: 'Signing in…',
  },
  overview: {
    title: 'Overview',
    description: 'Your account and the addresses that deliver mail to you.',
    account: 'Account',
    loginName: 'Login name',
    addresses: 'Your addresses',
    kind: {
      login: 'Login address',
      default: 'Default address',
      alias: 'Alias',
    },
  },
  filters: {
    title: 'Filters',
    description: 'Sort incoming mail into folders, flag it or forward it, by rules you set.',
  },
  vacation: {
    title: 'Vacation reply',
    description: 'Answer incoming mail automatically while you are away.',
  },
  spam: {
    title: 'Spam',
    description: 'Choose how strictly suspected spam is filtered, and which senders you always or never accept.',
  },
  forwarding: {
    title: 'Forwarding',
    description: 'Send a copy of your incoming mail to another address.',
  },
  aliases: {
    title: 'Aliases',
    description: 'See your addresses and add one extra alias of your choice.',
  },
  quota: {
    title: 'Quota',
    description: 'See how much of your mailbox space you use.',
  },
  common: {
    notYet: 'This section is not available yet.',
  },
  notFound: {
    title: 'Page not found',
    description: 'There is no settings page at this address.',
    back: 'Go to the overview',
  },
  errors: {
    invalid_credentials: 'The user name or password is not correct.',
    rate_limited_seconds: 'Too many attempts. Try again in {count} second. | Too many attempts. Try again in {count} seconds.',
    rate_limited_minutes: 'Too many attempts. Try again in {count} minute. | Too many attempts. Try again in {count} minutes.',
    directory_unavailable: 'The user directory is not answering right now, so your password cannot be checked. Please try again in a few minutes.',
    mail_unavailable: 'The mail servers are not answering right now. Please try again in a few minutes.',
    validation: 'Please correct the fields marked below.',
    csrf: 'The security check of your session failed. Reload the page and try again.',
    unauthenticated: 'Your session has ended. Please sign in again.',
    internal: 'Something went wrong on our side. Please try again; if it keeps happening, tell the helpdesk reference {requestId}.',
    forbidden: 'You are not allowed to do this.',
    not_found: 'The server does not know this request. Reload the page; the app may have been updated.',
    method_not_allowed: 'The server does not know this request. Reload the page; the app may have been updated.',
    conflict: 'This was changed elsewhere in the meantime. Reload the page to see the current state, then try again.',
    payload_too_large: 'This is too large to save.',
    unsupported_media_type: 'The server did not accept the request. Reload the page and try again.',
    network: 'The server cannot be reached. Check your connection and try again.',
    unexpected: 'Unexpected answer from the server ({code}). Please try again.',
    fieldPrefix: 'Error:',
  },
  fieldErrors: {
    required: 'Please fill this in.',
    too_long: 'This is too long.',
    invalid: 'This is not valid.',
  },
};

export type MessageSchema = typeof en;
export default en;
