import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeaderOptions {
  /** Roundcube's origin, the only page allowed to frame the app; null: none. */
  webmailOrigin: string | null;
  /** Send HSTS: the app is reached over https. */
  https: boolean;
}

/**
 * The built JS and CSS (/assets/, content-hashed). CSP, framing, referrer, COOP, permissions
 * and HSTS act on the document that loads them (and on workers, which the app has none of),
 * never on a script or stylesheet fetched by it, so sending them with each of the first
 * view's files cost ~900 bytes a file for nothing. What does act on a subresource stays:
 * nosniff (a file is run only as the type it is served as) and CORP (other sites cannot
 * load it).
 */
function isStaticAsset(path: string): boolean {
  return path.startsWith('/assets/');
}

/** Strict CSP (no inline script or style), framing only by the webmail, and the usual hardening. */
export function securityHeaders(options: SecurityHeaderOptions): MiddlewareHandler {
  const frameAncestors = options.webmailOrigin ? [options.webmailOrigin] : ["'none'"];
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      manifestSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors,
    },
    strictTransportSecurity: options.https ? 'max-age=31536000; includeSubDomains' : false,
    // X-Frame-Options cannot name one origin; frame-ancestors governs when framing is allowed.
    xFrameOptions: options.webmailOrigin ? false : 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
  return async function securityHeadersMiddleware(c, next) {
    if (!isStaticAsset(c.req.path)) return headers(c, next);
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  };
}
