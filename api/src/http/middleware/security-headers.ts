import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export interface SecurityHeaderOptions {
  /** Roundcube's origin, the only page allowed to frame the app; null: none. */
  webmailOrigin: string | null;
  /** Send HSTS: the app is reached over https. */
  https: boolean;
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
    return headers(c, next);
  };
}
