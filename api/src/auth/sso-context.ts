/**
 * Whether a GET /sso came from the webmail's frame, judged by the browser's Fetch Metadata
 * (sent by every current browser, and not settable by a page's script). The Roundcube plugin
 * loads /sso only as the `src` of its iframe, with referrerpolicy="no-referrer", so the
 * Referer says nothing; the frame's request says `Sec-Fetch-Dest: iframe`, and its
 * `Sec-Fetch-Site` is same-origin or same-site when the webmail and the app share a site.
 *
 * Refused: a top-level navigation (a link or redirect from anywhere: login CSRF with a token
 * the attacker minted for their own account), a request without Fetch Metadata, and a frame
 * on another site — unless the cookie is Partitioned, when a session opened in another
 * site's frame is kept in that site's own cookie jar and never reaches the user's webmail.
 */
export type SsoContextRefusal = 'not_framed' | 'cross_site';

export function ssoContextRefusal(headers: { dest: string | undefined; site: string | undefined }, partitionedCookie: boolean): SsoContextRefusal | null {
  if (headers.dest !== 'iframe') return 'not_framed';
  if (headers.site === 'same-origin' || headers.site === 'same-site') return null;
  if (headers.site === 'cross-site' && partitionedCookie) return null;
  return 'cross_site';
}
