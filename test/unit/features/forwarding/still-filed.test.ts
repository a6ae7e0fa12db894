import { describe, expect, it } from 'vitest';
import { foldersFiledByFilters } from '../../../../api/src/features/forwarding/still-filed';
import { parseDocument } from '../../../../api/src/sieve/document/parse-document';

// With forwarding and no copy kept, mail a filter files still stays: the page names those folders.

describe('foldersFiledByFilters', () => {
  it('names each folder an enabled rule files into, once, and skips disabled rules and other actions', () => {
    const doc = parseDocument(
      [
        'require ["fileinto", "copy"];',
        '# rule:[Reports]',
        'if header :contains "subject" "report" { fileinto "Reports"; }',
        '# rule:[Copies]',
        'if header :contains "subject" "x" { fileinto :copy "Αρχείο"; fileinto "Reports"; }',
        '# rule:[Off]',
        'if false # header :contains "subject" "y"',
        '{ fileinto "Never"; }',
        '# rule:[Flag]',
        'if header :contains "subject" "z" { discard; }',
        '',
      ].join('\n'),
    );
    expect(foldersFiledByFilters(doc)).toEqual(['Reports', 'Αρχείο']);
  });

  it('none without rules (hand-written Sieve is not read)', () => {
    expect(foldersFiledByFilters(parseDocument('require "fileinto";\nfileinto "Custom";\n'))).toEqual([]);
  });
});
