// English core messages, in the format of ../format.ts: {name} interpolates, "a | b" is
// singular | plural; every other character is literal. Only what any page's first paint
// needs (shell, navigation, session, API errors): each page's own words are in ../areas/en/,
// loaded with that page (../messages.ts).
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
    held: 'Held mail',
    security: 'Security',
    helpdesk: 'Helpdesk',
  },
  session: {
    signedInAs: 'Signed in as {name}',
    signOut: 'Sign out',
  },
  filters: {
    title: 'Filters',
    description: 'Sort incoming mail into folders, flag it or forward it, by rules you set.',
  },
  errors: {
    invalid_credentials: 'The user name or password is not correct.',
    rate_limited_seconds: 'Too many attempts. Try again in {count} second. | Too many attempts. Try again in {count} seconds.',
    rate_limited_minutes: 'Too many attempts. Try again in {count} minute. | Too many attempts. Try again in {count} minutes.',
    scan_limited_seconds:
      'Your mailbox is already being searched, or was searched many times just now. Try again in {count} second. | Your mailbox is already being searched, or was searched many times just now. Try again in {count} seconds.',
    scan_limited_minutes:
      'Your mailbox was searched many times just now. Try again in {count} minute. | Your mailbox was searched many times just now. Try again in {count} minutes.',
    session_not_found: 'This session has already ended.',
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
    precondition_required: 'The page is out of date. Reload it and try again.',
    script_rejected: 'The mail server did not accept these settings. Nothing was changed. Please tell the helpdesk reference {requestId}.',
    foreign_script_active: 'Another filter script is active, so nothing was saved yet.',
    network: 'The server cannot be reached. Check your connection and try again.',
    unexpected: 'Unexpected answer from the server ({code}). Please try again.',
    fieldPrefix: 'Error:',
  },
};

export type MessageSchema = typeof en;
export default en;
