import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Below this a compressed copy saves less than its headers and a lookup cost (nginx's gzip_min_length is 20 bytes; 1 KiB is the common pick). */
const MIN_BYTES = 1024;
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

/** Writes `name.br` and `name.gz` beside each compressible file of `dir`, at the highest
 *  levels: done once at build time, so the server (the app, or nginx's brotli_static and
 *  gzip_static) sends them without compressing per request. A copy that would not be
 *  smaller is not written, and the server then sends the file as it is. */
export function precompressDirectory(dir: string): Array<{ file: string; bytes: number; br: number; gz: number }> {
  const written: Array<{ file: string; bytes: number; br: number; gz: number }> = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, entry);
    if (!COMPRESSIBLE.test(file) || !statSync(file).isFile()) continue;
    const source = readFileSync(file);
    if (source.length < MIN_BYTES) continue;
    const br = brotliCompressSync(source, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: source.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
    });
    const gz = gzipSync(source, { level: 9 });
    if (br.length < source.length) writeFileSync(`${file}.br`, br);
    if (gz.length < source.length) writeFileSync(`${file}.gz`, gz);
    written.push({ file: entry, bytes: source.length, br: br.length, gz: gz.length });
  }
  return written;
}

/** Vite plugin: precompress the build output once everything is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'emailng-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      precompressDirectory(outDir);
    },
  };
}
