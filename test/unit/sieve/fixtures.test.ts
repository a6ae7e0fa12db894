import { describe, expect, it } from 'vitest';
import { parseScript } from '../../../api/src/sieve/parser.js';
import { printScript } from '../../../api/src/sieve/printer.js';
import { fixtures } from './helpers.js';

const all = fixtures();

describe('fixture scripts', () => {
  it('has at least 40 real-world-style scripts', () => {
    expect(all.length).toBeGreaterThanOrEqual(40);
  });

  it.each(all)('$name parses and prints back byte-identical', ({ text }) => {
    expect(printScript(parseScript(text))).toBe(text);
  });

  it('keeps CRLF fixtures CRLF (the checkout did not rewrite line ends)', () => {
    const crlf = all.find((f) => f.name === 'roundcube-crlf.sieve');
    expect(crlf?.text).toContain('\r\n');
    expect(crlf?.text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
