import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../api/src/sieve/cli.js';
import { FIXTURE_DIR } from './helpers.js';

const CLI = join(import.meta.dirname, '../../../api/src/sieve/cli.ts');

/** The bytes `npm run sieve -- print FILE` writes to stdout (the same entry point, run by node). */
const printedBytes = (file: string): Buffer => execFileSync(process.execPath, ['--import', 'tsx', CLI, 'print', file]);

const run = (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join(''), err: err.join('') };
};

describe('sieve CLI', () => {
  it('check reports line:column and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sieve-cli-'));
    const file = join(dir, 'bad.sieve');
    writeFileSync(file, 'require "fileinto";\nif true {\n  fileinto "x"\n');
    expect(run('check', file)).toMatchObject({ code: 1, err: expect.stringMatching(/bad\.sieve:4:1: error \[unexpected-end\]/) });
  });

  it('print is byte-exact and rules lists items', () => {
    const file = join(FIXTURE_DIR, 'roundcube-disabled.sieve');
    expect(run('check', file).code).toBe(0);
    expect(run('print', file).out).toBe(readFileSync(file, 'utf8'));
    const rules = JSON.parse(run('rules', file).out) as { items: Array<{ kind: string }> };
    expect(rules.items.map((i) => i.kind)).toEqual(['rule', 'rule', 'rule']);
  });

  it('print gives back the exact bytes of untouched files, with or without a final newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sieve-cli-'));
    const texts = {
      'no-newline.sieve': 'require "fileinto";\nif header :contains "subject" "Ανακοίνωση" { fileinto "Σχολή"; }',
      'crlf-no-newline.sieve': 'keep;\r\n# σχόλιο\r\nstop;',
      'comment-last.sieve': 'keep; # no newline after this comment',
      'empty.sieve': '',
      'blank-lines.sieve': 'keep;\n\n\n',
      'bom.sieve': '\ufeff# a BOM the parser cannot read must not be silently dropped\n',
    };
    for (const [name, text] of Object.entries(texts)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      if (name === 'bom.sieve') {
        expect(run('print', file).code).toBe(1);
        continue;
      }
      expect(run('print', file)).toEqual({ code: 0, out: text, err: '' });
    }
  });

  // Starts node twice (the stdout writer of the entry point once added the missing newline).
  it('the entry point writes those bytes to stdout unchanged', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'sieve-cli-'));
    const file = join(dir, 'crlf-no-newline.sieve');
    writeFileSync(file, 'keep;\r\n# σχόλιο\r\nstop;');
    expect(printedBytes(file).equals(readFileSync(file))).toBe(true);
    const fixture = join(FIXTURE_DIR, 'hand-no-trailing-newline.sieve');
    expect(readFileSync(fixture).at(-1)).not.toBe(0x0a);
    expect(printedBytes(fixture).equals(readFileSync(fixture))).toBe(true);
  });

  it('refuses a file that is not UTF-8 instead of printing replacement characters', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sieve-cli-')), 'latin1.sieve');
    writeFileSync(file, Buffer.from('# caf\xe9\nkeep;\n', 'latin1'));
    expect(run('print', file)).toMatchObject({ code: 1, out: '', err: expect.stringContaining('[invalid-utf8]') });
  });

  it('prints usage on bad arguments', () => {
    expect(run('frob').code).toBe(2);
  });
});
