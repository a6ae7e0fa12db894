import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addToHistory, parseHistory, shaOf } from '../../../../api/src/features/script/history';
import { parseServerProblems } from '../../../../api/src/features/script/server-errors';
import { probeScript, uidSet } from '../../../../api/src/features/filters/tester';
import { folderProblem } from '../../../../api/src/features/folders/names';
import { parseScript } from '../../../../api/src/sieve';

describe('history script', () => {
  it('keeps exact bytes, newest first, skips a repeat, and drops the oldest beyond 10', () => {
    let h = '';
    const texts = Array.from({ length: 12 }, (_, i) => `# v${i} */ /* Δ\n\r\nkeep;  \t\n`);
    texts.forEach((t, i) => {
      h = addToHistory('emailng', h, t, `change ${i}`, new Date(1_700_000_000_000 + i)) ?? h;
    });
    expect(addToHistory('emailng', h, texts[11]!, 'again')).toBeNull();
    const entries = parseHistory(h);
    expect(entries.map((e) => e.text)).toEqual(texts.slice(2).reverse());
    expect(entries[0]!.summary).toBe('change 11');
    // Only comments: it parses and has no commands.
    expect(parseScript(h).commands).toHaveLength(0);
  });

  it('copies the versions older than the newest byte for byte when adding one', () => {
    const first = addToHistory('emailng', '', 'require "fileinto";\r\n', 'one', new Date(1_700_000_000_000))!;
    const second = addToHistory('emailng', first, 'keep;\r\n', 'two', new Date(1_700_000_001_000))!;
    const third = addToHistory('emailng', second, 'discard;\r\n', 'three', new Date(1_700_000_002_000))!;
    const blocks = (h: string) => h.split('/* emailng:version ').slice(1);
    expect(blocks(third)[2]).toBe(blocks(second)[1]);
    expect(parseHistory(third).map((e) => e.text)).toEqual(['discard;\r\n', 'keep;\r\n', 'require "fileinto";\r\n']);
  });

  it('keeps only the newest version whole and the others as what changed: ten versions of a 1.5 KB script in under 4 KB', () => {
    const base = Array.from({ length: 40 }, (_, i) => `if header :contains "subject" "Αναφορά ${i} — ς" { fileinto "Φάκελος ${i}"; }\r\n`).join('');
    let h = '';
    const texts = Array.from({ length: 11 }, (_, i) => `# emailng:state {"subject":"Away ${i}"}\r\n${base}`);
    expect(Buffer.byteLength(texts[0]!)).toBeGreaterThan(1500);
    texts.forEach((t, i) => {
      h = addToHistory('emailng', h, t, `change ${i}`, new Date(1_700_000_000_000 + i)) ?? h;
    });
    expect(parseHistory(h).map((e) => e.text)).toEqual(texts.slice(1).reverse());
    expect(Buffer.byteLength(h)).toBeLessThan(4096);
    expect(parseScript(h).commands).toHaveLength(0);
  });

  it('reads a history written whole (before deltas) and goes on from it', () => {
    const wholeBlock = (text: string, id: string) =>
      `/* emailng:version ${JSON.stringify({ id, savedAt: '2026-01-01T00:00:00.000Z', summary: id, size: Buffer.byteLength(text), sha: shaOf(text) })}\r\n${deflateRawSync(Buffer.from(text)).toString('base64')}\r\n*/\r\n`;
    const old = `# emailng:history\r\n${wholeBlock('keep;\r\n', 'b')}${wholeBlock('stop;\r\n', 'a')}`;
    const next = addToHistory('emailng', old, 'discard;\r\n', 'c')!;
    expect(parseHistory(next).map((e) => e.text)).toEqual(['discard;\r\n', 'keep;\r\n', 'stop;\r\n']);
  });

  it('never yields a wrong version when a block is cut out by hand: the delta made against it is skipped', () => {
    // Bodies that share words, so each delta refers to its newer neighbour; the third differs.
    const body = (action: string) => Array.from({ length: 20 }, (_, i) => `if header :is "x-n" "${i}" { ${action}; }\r\n`).join('');
    const texts = [`# one\r\n${body('discard')}`, `# two\r\n${body('discard')}`, `# three ς\r\n${body('keep')}\r\n# Ω`, `# four\r\n${body('discard')}`];
    let h = '';
    for (const t of texts) h = addToHistory('emailng', h, t, 'x') ?? h;
    const blocks = h.split('/* emailng:version ');
    const cut = [blocks[0], blocks[1], blocks[3], blocks[4]].join('/* emailng:version ');
    const read = parseHistory(cut);
    expect(read.map((e) => e.text)).toEqual([texts[3]]);
  });

  it('keeps scripts larger than zlib’s window exactly', () => {
    const big = (n: number) => `# ${n}\r\n${randomBytes(30_000).toString('hex')}\r\n`;
    let h = '';
    const texts = [big(1), big(2), big(3)];
    for (const t of texts) h = addToHistory('emailng', h, t, 'x') ?? h;
    expect(parseHistory(h).map((e) => e.text)).toEqual([...texts].reverse());
  });

  it('drops the oldest versions to stay under the byte budget', () => {
    let h = '';
    for (let i = 0; i < 5; i++) h = addToHistory('emailng', h, `# ${i} ${randomBytes(1500).toString('base64')}\n`, 'x', new Date(), { versions: 10, bytes: 6000 }) ?? h;
    expect(Buffer.byteLength(h)).toBeLessThanOrEqual(6000);
    expect(parseHistory(h).length).toBeLessThan(5);
  });
});

describe('server problems', () => {
  it('reads Pigeonhole’s lines, with or without the script name in front', () => {
    expect(parseServerProblems("emailng: line 3: error: unknown command 'x'.\r\nemailng: error: validation failed.\r\n", 'emailng')).toEqual([{ line: 3, message: "unknown command 'x'." }]);
    expect(parseServerProblems('line 7, column 2: error: bad.\r\n')).toEqual([{ line: 7, column: 2, message: 'bad.' }]);
    expect(parseServerProblems('Script is too large.')).toEqual([{ line: null, message: 'Script is too large.' }]);
  });
});

describe('rule probe and helpers', () => {
  it('wraps the rule’s test around a marker warning, with no action', () => {
    const script = probeScript({ id: 'x', name: 'n', enabled: false, match: 'any', conditions: [{ type: 'subject', operator: 'contains', negate: false, value: 'a"b' }], actions: [{ type: 'discard' }], stop: true }, 'emailng-probe-1');
    expect(script).toContain('header :contains "subject" "a\\"b"');
    expect(script).toContain('"emailng-probe-1"');
    expect(script).not.toMatch(/discard|stop/);
    expect(parseScript(script).commands.map((c) => c.name)).toEqual(['require', 'if']);
  });

  it('compacts UID sets and judges folder names', () => {
    expect(uidSet([5, 1, 2, 3, 9, 10])).toBe('1:3,5,9:10');
    expect(folderProblem('Εργασία')).toBeNull();
    expect(folderProblem('a/b')).toBeNull();
    expect(folderProblem('a*')).toBe('forbidden_character');
    expect(folderProblem('~x')).toBe('leading_tilde');
    expect(folderProblem('a/')).toBe('empty_level');
  });
});
