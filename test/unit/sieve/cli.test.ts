import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../api/src/sieve/cli.js';
import { FIXTURE_DIR } from './helpers.js';

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

  it('prints usage on bad arguments', () => {
    expect(run('frob').code).toBe(2);
  });
});
