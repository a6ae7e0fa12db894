import { describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../../api/src/http/middleware/compress-json';

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0 as a refusal', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('BR')).toBe('br');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0, gzip;q=0')).toBeNull();
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });

  it('does not take a malformed header for a yes', () => {
    expect(chooseEncoding('br;q=abc')).toBeNull();
    expect(chooseEncoding(',,;;')).toBeNull();
    expect(chooseEncoding('brotli, gzipped')).toBeNull();
  });
});
