import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../../../build/precompress';
import { ApiClient, rawGet } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';

// What goes over the wire: the build's precompressed files as they are, JSON compressed over
// a threshold, and the document's security headers where they act. A built SPA of its own
// (a temporary directory), so the test does not depend on `npm run build`.

let server: TestServer;
let dir: string;
// Greek and a script-like text, both compressible and large enough to be precompressed.
const script = `export const words = ${JSON.stringify('Αυτόματη απάντηση ΣΊΣΥΦΟΣ σίσυφος '.repeat(200))};\n`;
const tiny = 'export const x = 1;\n';
const html = `<!doctype html><html><head><title>Mail settings</title><script type="module" src="./assets/app-1.js"></script></head><body>${'<p>Φόρτωση…</p>'.repeat(80)}</body></html>`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'emailng-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app-1.js'), script);
  writeFileSync(join(dir, 'assets', 'tiny-1.js'), tiny);
  writeFileSync(join(dir, 'index.html'), html);
  precompressDirectory(dir);
  server = await startTestServer((config) => ({ ...config, server: { ...config.server, staticDir: dir } }));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('static files', () => {
  it('sends the brotli copy to a browser that takes it, gzip to one that takes only gzip, the file to one that takes neither', async () => {
    const br = await rawGet(`${server.url}/assets/app-1.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.bytes).toString('utf8')).toBe(script);
    expect(br.bytes.length).toBeLessThan(Buffer.byteLength(script) / 5);

    const gz = await rawGet(`${server.url}/assets/app-1.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString('utf8')).toBe(script);

    const plain = await rawGet(`${server.url}/assets/app-1.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString('utf8')).toBe(script);
    for (const res of [br, gz, plain]) {
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('sends a file too small to be worth compressing as it is', async () => {
    const res = await rawGet(`${server.url}/assets/tiny-1.js`, { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.bytes.toString('utf8')).toBe(tiny);
  });

  it('keeps on scripts the headers that act on them, and the document its full set', async () => {
    const asset = await rawGet(`${server.url}/assets/app-1.js`, { 'accept-encoding': 'br' });
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect(asset.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(asset.headers['content-security-policy']).toBeUndefined();

    const page = await rawGet(`${server.url}/`, { 'accept-encoding': 'br' });
    expect(page.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(page.bytes).toString('utf8')).toBe(html);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('answers a missing asset or a path out of the built files with 404, never a 500 or a file from elsewhere', async () => {
    for (const path of ['/assets/none.js', '/assets/app-1.js.br.br', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2F..%2Fpackage.json', '/..%5c..%5cpackage.json']) {
      const res = await rawGet(server.url + path, { 'accept-encoding': 'br' });
      expect(res.status, path).toBe(404);
    }
  });
});

describe('JSON answers', () => {
  it('compresses a large answer (brotli, else gzip) to the same JSON, and leaves small ones as they are', async () => {
    const plain = await rawGet(`${server.url}/api/openapi.json`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const br = await rawGet(`${server.url}/api/openapi.json`, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.bytes.length);
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString('utf8'))).toEqual(JSON.parse(plain.bytes.toString('utf8')));
    const gz = await rawGet(`${server.url}/api/openapi.json`, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString('utf8')).toBe(plain.bytes.toString('utf8'));

    const small = await rawGet(`${server.url}/api/me`, { 'accept-encoding': 'br' });
    expect(small.status).toBe(401);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.bytes.toString('utf8'))).toMatchObject({ code: 'unauthenticated' });
  });

  it('keeps the strong ETag of a compressed answer, and a save with it goes through', async () => {
    const client = new ApiClient(server.url);
    expect((await client.signIn('load135', 'load-pass')).status).toBe(200);
    const vacation = (message: string) => ({ enabled: false, start: null, end: null, timeZone: 'Europe/Nicosia', subject: 'Εκτός γραφείου', message, intervalDays: 7, from: null });
    const first = await client.request('GET', '/api/vacation');
    // A message long enough that the answer is compressed.
    const long = 'Λείπω έως τη Δευτέρα· για επείγοντα, γράψτε στη γραμματεία. '.repeat(40);
    const saved = await client.request('PUT', '/api/vacation', { json: vacation(long), headers: { 'if-match': String(first.body.etag) } });
    expect(saved.status, saved.text).toBe(200);

    // The ETag goes as a header on a save's answer: that answer compressed keeps it as it is.
    const long2 = long.replace(/Δευτέρα/g, 'Τρίτη');
    const answer = await client.request('PUT', '/api/vacation', { json: vacation(long2), headers: { 'if-match': String(saved.body.etag), 'accept-encoding': 'br' } });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-encoding')).toBe('br');
    const etag = answer.headers.get('etag');
    expect(etag).toBe(answer.body.etag);
    expect(etag).toMatch(/^"/);
    const again = await client.request('PUT', '/api/vacation', { json: vacation('Back soon.'), headers: { 'if-match': String(etag) } });
    expect(again.status, again.text).toBe(200);
  });
});
