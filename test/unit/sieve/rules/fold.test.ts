// The folded :regex for terms with non-ASCII letters (api/src/sieve/rules/fold.ts): what it
// matches is proven on delivered mail (test/integration/features/filters-greek.test.ts); here,
// its shape, and that reading recognises only exactly what folding writes.
import { describe, expect, it } from 'vitest';
import { foldedPattern, needsFolding, unfold } from '../../../../api/src/sieve/rules/fold.js';
import { regexProblem } from '../../../../api/src/sieve/rules/regex.js';

describe('foldedPattern', () => {
  it('makes one group per non-ASCII letter, σ/ς/Σ one letter, ASCII left to REG_ICASE and escaped', () => {
    expect(foldedPattern('is', 'ς.x', false)).toBe('^(ς|σ|Σ)\\.x$');
    const nfcNfd = (...cs: string[]) => cs.flatMap((c) => [c, c.normalize('NFD')]).join('|');
    expect(foldedPattern('starts', 'ή', true)).toBe(`^(${nfcNfd('ή', 'Ή')})`);
    expect(foldedPattern('ends', 'é', false)).toBe(`(${nfcNfd('é', 'É')})$`);
  });

  it('gives ι every tonos/dialytika spelling, NFC and NFD, unless accents are exact', () => {
    const group = foldedPattern('contains', 'ί', false);
    for (const s of ['ι', 'Ι', 'ί', 'Ί', 'ϊ', 'Ϊ', 'ΐ', 'ί'.normalize('NFD'), 'ΐ'.normalize('NFD'), 'Ϊ́']) expect(group.slice(1, -1).split('|')).toContain(s);
    expect(foldedPattern('contains', 'ί', true).slice(1, -1).split('|')).not.toContain('ι');
  });

  it('writes the term in NFC, and compiles on the server’s regex dialect', () => {
    expect(foldedPattern('contains', 'νέα'.normalize('NFD'), false)).toBe(foldedPattern('contains', 'νέα', false));
    expect(regexProblem(foldedPattern('contains', 'Ανακοίνωση (τμήμα) [*] ^$ \\ |', false))).toBeNull();
  });
});

describe('unfold', () => {
  it.each([
    ['contains', 'ανακοίνωση (2026)', false],
    ['is', 'ΝΈΑ', true],
    ['starts', 'Γραμματεία\\', false],
    ['ends', 'τέλος$', true],
  ] as const)('reads back %s “%s”', (operator, value, exactAccents) => {
    expect(unfold(foldedPattern(operator, value, exactAccents))).toEqual({ operator, value, exactAccents });
  });

  it.each(['(α|ά)', '^(ά|Ά)x', 'ab(c|d)', '(ν|Ν)(έ|ε)', '[α]', 'plain ascii'])('leaves any other regex a regex: %s', (pattern) => {
    expect(unfold(pattern)).toBeNull();
  });

  it('folds only terms with a letter outside ASCII', () => {
    expect(needsFolding('abc €1')).toBe(false);
    expect(needsFolding('abc ά')).toBe(true);
  });
});
