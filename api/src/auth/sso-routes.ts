import { Hono, type Context } from 'hono';
import { DirectoryError } from '../backends/ldap/errors';
import { ApiError } from '../http/errors';
import type { SessionCookieOptions } from '../http/middleware/session';
import type { Services } from '../services';
import { startSession } from './start-session';

/**
 * GET /sso?token=…&lang=…&theme=… — the Roundcube plugin's iframe lands here. A good token
 * opens a session for its user and redirects (303) to the SPA in embedded mode; anything else
 * answers a small "please sign in" page and sets no cookie. The token is in the query string
 * so the frame can be a plain <iframe src>: it is single-use, lives ≤ 60 s, the access log
 * leaves query strings out, and the redirect replaces the URL (Referrer-Policy: no-referrer).
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
  },
  el: {
    refusedTitle: 'Παρακαλούμε συνδεθείτε',
    refused:
      'Η σύνδεσή σας από το webmail δεν επιβεβαιώθηκε: ο σύνδεσμος έληξε ή έχει ήδη χρησιμοποιηθεί. Ανοίξτε ξανά τις Ρυθμίσεις αλληλογραφίας από το webmail ή συνδεθείτε εδώ.',
    unavailableTitle: 'Δοκιμάστε ξανά σε λίγα λεπτά',
    unavailable: 'Οι διακομιστές αλληλογραφίας ή καταλόγου δεν απαντούν. Ανοίξτε ξανά τις Ρυθμίσεις αλληλογραφίας από το webmail σε λίγα λεπτά.',
    signIn: 'Σύνδεση',
  },
} as const;

/** Everything interpolated below is one of the constant strings above or a validated enum. */
function page(c: Context, status: 401 | 503, lang: Lang, kind: 'refused' | 'unavailable', spa: string): Response {
  const t = TEXT[lang];
  const title = kind === 'refused' ? t.refusedTitle : t.unavailableTitle;
  const body = kind === 'refused' ? t.refused : t.unavailable;
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
  const { sso, directory, logger } = services;
  const audit = logger.child({ log: 'auth' });

  return new Hono().get('/sso', async (c) => {
    const lang = toLang(c.req.query('lang'));
    const theme = toTheme(c.req.query('theme'));
    const query = new URLSearchParams({ embedded: '1', lang, ...(theme ? { theme } : {}) }).toString();
    // Relative, so the app works under a path prefix (e.g. /settings/ behind nginx).
    const signInUrl = `./#/sign-in?${query}`;
    const client = c.get('clientAddress');

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

    try {
      await startSession(c, services, cookie, account, 'sso');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'mail_unavailable') return page(c, 503, lang, 'unavailable', signInUrl);
      throw error;
    }
    c.header('Cache-Control', 'no-store');
    return c.redirect(`./#/?${query}`, 303);
  });
}
