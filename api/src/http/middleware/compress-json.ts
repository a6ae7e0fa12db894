import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

export interface CompressJsonOptions {
  /** Answers smaller than this go as they are: below about one packet, compressing saves no round trip. */
  thresholdBytes: number;
}

/** The encoding to use for an Accept-Encoding header: brotli, else gzip, else none (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.find((p) => /^\s*q\s*=/.test(p));
    // A weight that is not a number counts as a refusal, never as a yes.
    const value = q === undefined ? 1 : Number(/^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(q)?.[1] ?? 0);
    if (name) accepted.set(name, value);
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/**
 * Compresses JSON answers over a size threshold, with brotli (a fast level: this runs per
 * request) or gzip. The ETag is left as it is: it names the version of the user's settings
 * that a save's If-Match is compared with, not these bytes, and API answers are never cached
 * (hono's own compress() would turn it into a weak W/ tag that no save would match).
 */
export function compressJson(options: CompressJsonOptions): MiddlewareHandler {
  return async function compressJsonMiddleware(c, next) {
    await next();
    const res = c.res;
    const type = res.headers.get('Content-Type') ?? '';
    if (!type.startsWith('application/json') || res.headers.has('Content-Encoding') || !res.body || c.req.method === 'HEAD') return;
    const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) {
      c.header('Vary', 'Accept-Encoding', { append: true });
      return;
    }
    const body = Buffer.from(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    headers.append('Vary', 'Accept-Encoding');
    // Hono copies the old answer's headers onto a new one (its Content-Length too): drop it first.
    c.res = undefined;
    if (body.length < options.thresholdBytes) {
      c.res = new Response(body, { status: res.status, headers });
      return;
    }
    const compressed =
      encoding === 'br'
        ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } })
        : gzipSync(body, { level: 6 });
    headers.set('Content-Encoding', encoding);
    headers.set('Content-Length', String(compressed.length));
    c.res = new Response(compressed, { status: res.status, headers });
  };
}
