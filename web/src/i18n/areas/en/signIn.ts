// English: the words of the sign-in page.
// Merged under `signIn` by i18n/messages.ts when a page that shows them opens. Format of i18n/format.ts: {name}, "one | many".
const en = {
  title: 'Sign in',
  intro: 'Sign in with your department account to manage how your mail is delivered.',
  username: 'User name or email address',
  usernameHint: 'Your login name (for example gandre01) or any of your addresses.',
  password: 'Password',
  showPassword: 'Show password',
  submit: 'Sign in',
  submitting: 'Signing in…',
};

export type Messages = typeof en;
export default en;
