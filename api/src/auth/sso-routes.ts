import { Hono, type Context } from 'hono';
import { DirectoryError } from '../backends/ldap/errors';
import { ApiError } from '../http/errors';
import { liveSession, type SessionCookieOptions } from '../http/middleware/session';
import type { Services } from '../services';
import { ssoContextRefusal } from './sso-context';
import { landingHash } from './sso-landing';
import { recordSignIn } from './sign-in-history';
import { startSession } from './start-session';

/**
 * GET /sso?token=…&lang=…&theme=…[&next=filter-from-message&from=…&listId=…&subject=…] — the
 * Roundcube plugin's iframe lands here. A good token opens a session for its user and redirects
 * (303) to the SPA in embedded mode (the overview, or the rule editor: sso-landing.ts); anything else
 * answers a small "please sign in" page and sets no cookie. The token is in the query string
 * so the frame can be a plain <iframe src>: it is single-use, lives ≤ 60 s, the access log
 * leaves query strings out, and the redirect replaces the URL (Referrer-Policy: no-referrer).
 *
 * A token is accepted only inside the webmail's frame (see sso-context.ts), and never
 * replaces a live session of another user in the same browser: that answers a page saying
 * so, and the user signs out there first.
 */

type Lang = 'en' | 'el';

/** Roundcube's language (en_US, el_GR, …) → the SPA's; anything else → English. */
function toLang(value: string | undefined): Lang {
  return /^(el|gr)([-_]|$)/i.test(value ?? '') ? 'el' : 'en';
}

function toTheme(value: string | undefined): 'light' | 'dark' | null {
  return value === 'dark' || value === 'light' ? value : null;
}

const TEXT = {
  en: {
    refusedTitle: 'Please sign in',
    refused:
      'Your sign-in from the webmail could not be confirmed: the link has expired or was already used. Open Mail settings again from the webmail, or sign in here.',
    unavailableTitle: 'Try again in a few minutes',
    unavailable: 'The mail or directory servers are not answering. Open Mail settings again from the webmail in a few minutes.',
    signIn: 'Sign in',
    otherUserTitle: 'Someone else is signed in',
    otherUser:
      'Mail settings in this browser are open for another account. Sign out of Mail settings there first, then open Mail settings again from the webmail.',
  },
  el: {
    refusedTitle: 'Παρακαλούμε συνδεθείτε',
    refused:
      'Η σύνδεσή σας από το webmail δεν επιβεβαιώθηκε: ο σύνδεσμος έληξε ή έχει ήδη χρησιμοποιηθεί. Ανοίξτε ξανά τις Ρυθμίσεις αλληλογραφίας από το webmail ή συνδεθείτε εδώ.',
    unavailableTitle: 'Δοκιμάστε ξανά σε λίγα λεπτά',
    unavailable: 'Οι διακομιστές αλληλογραφίας ή καταλόγου δεν απαντούν. Ανοίξτε ξανά τις Ρυθμίσεις αλληλογραφίας από το webmail σε λίγα λεπτά.',
    signIn: 'Σύνδεση',
    otherUserTitle: 'Είναι συνδεδεμένος άλλος χρήστης',
    otherUser:
      'Οι Ρυθμίσεις αλληλογραφίας σε αυτό το πρόγραμμα περιήγησης είναι ανοιχτές για άλλο λογαριασμό. Αποσυνδεθείτε πρώτα από εκεί και ανοίξτε ξανά τις Ρυθμίσεις αλληλογραφίας από το webmail.',
  },
} as const;

/** Everything interpolated below is one of the constant strings above or a validated enum. */
type PageKind = 'refused' | 'unavailable' | 'other-user';

function page(c: Context, status: 401 | 409 | 503, lang: Lang, kind: PageKind, spa: string): Response {
  const t = TEXT[lang];
  const [title, body] = {
    refused: [t.refusedTitle, t.refused],
    unavailable: [t.unavailableTitle, t.unavailable],
    'other-user': [t.otherUserTitle, t.otherUser],
  }[kind];
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="robots" content="noindex"><title>${title}</title></head>
<body>
<main id="sso-${kind}">
<h1>${title}</h1>
<p>${body}</p>
<p><a href="${spa}">${t.signIn}</a></p>
</main>
</body>
</html>
`;
  c.header('Cache-Control', 'no-store');
  return c.html(html, status);
}

export function ssoRoutes(services: Services, cookie: SessionCookieOptions): Hono {
  const { sso, directory, logger, sessions, sessionStore } = services;
  const audit = logger.child({ log: 'auth' });

  return new Hono().get('/sso', async (c) => {
    const lang = toLang(c.req.query('lang'));
    const theme = toTheme(c.req.query('theme'));
    const embedded = { embedded: '1', lang, ...(theme ? { theme } : {}) };
    const query = new URLSearchParams(embedded).toString();
    // Relative, so the app works under a path prefix (e.g. /settings/ behind nginx).
    const signInUrl = `./#/sign-in?${query}`;
    const client = c.get('clientAddress');

    const contextRefusal = ssoContextRefusal(
      { dest: c.req.header('sec-fetch-dest'), site: c.req.header('sec-fetch-site') },
      cookie.partitioned === true,
    );
    if (contextRefusal) {
      audit.warn({ event: 'sso_refused', reason: contextRefusal, client });
      return page(c, 401, lang, 'refused', signInUrl);
    }

    const verdict = await sso.verify(c.req.query('token'));
    if (!verdict.ok) {
      audit.warn({ event: 'sso_refused', reason: verdict.reason, client });
      return page(c, 401, lang, 'refused', signInUrl);
    }

    let account;
    try {
      account = await directory.getAccount(verdict.uid);
    } catch (error) {
      if (error instanceof DirectoryError) {
        audit.error({ event: 'sso_directory_unavailable', uid: verdict.uid, client, code: error.code });
        return page(c, 503, lang, 'unavailable', signInUrl);
      }
      throw error;
    }
    if (!account) {
      audit.warn({ event: 'sso_refused', reason: 'unknown_user', uid: verdict.uid, client });
      return page(c, 401, lang, 'refused', signInUrl);
    }
    const current = await liveSession(c, sessions, sessionStore, cookie);
    if (current && current.session.uid !== account.uid) {
      audit.warn({ event: 'sso_refused', reason: 'other_user_signed_in', uid: verdict.uid, signedIn: current.session.uid, client });
      recordSignIn(services, c, account.uid, 'sso', 'refused');
      return page(c, 409, lang, 'other-user', signInUrl);
    }

    try {
      await startSession(c, services, cookie, account, 'sso');
      recordSignIn(services, c, account.uid, 'sso', 'success');
      // The same user again (a second visit to the webmail's settings): the new session replaces the old.
      if (current) await sessionStore.end(current.session.uid, current.session.sid);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'mail_unavailable') return page(c, 503, lang, 'unavailable', signInUrl);
      throw error;
    }
    c.header('Cache-Control', 'no-store');
    return c.redirect(`./${landingHash(embedded, (name) => c.req.query(name))}`, 303);
  });
}
