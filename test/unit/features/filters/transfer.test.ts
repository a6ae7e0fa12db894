import { describe, expect, it } from 'vitest';
import { IMPORT_MAX_BYTES, readImportFile } from '../../../../api/src/features/filters/import-file';
import { exportText, planImport } from '../../../../api/src/features/filters/transfer';
import type { ScriptState } from '../../../../api/src/features/script/store';
import { ApiError } from '../../../../api/src/http/errors';
import { parseDocument, printDocument } from '../../../../api/src/sieve';

const CAPABILITIES = ['fileinto', 'mailbox', 'imap4flags', 'vacation', 'copy', 'body', 'regex', 'variables'];

function stateOf(text: string): ScriptState {
  return { text, doc: parseDocument(text), exists: true, active: true, foreignActive: null, options: { capabilities: CAPABILITIES, spamtestMaxValue: 10 } };
}

function fileCode(bytes: Uint8Array | string): string | undefined {
  try {
    readImportFile(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.extra.fields?.file : 'not an ApiError';
  }
}

const USER = [
  '# emailng:require',
  'require ["fileinto", "vacation"];',
  '# emailng:begin vacation',
  '# emailng:state {}',
  'vacation :days 1 "Away.";',
  '# emailng:end vacation',
  '# rule:[Work]',
  'if header :contains "subject" "work" {',
  '\tfileinto "Work";',
  '}',
  '',
].join('\r\n');

const FILE = [
  'require ["imap4flags", "fileinto", "variables"];',
  '# rule:[Flag it]',
  'if header :contains "subject" "urgent" {',
  '\taddflag "\\\\Flagged";',
  '}',
  'if header :matches "subject" "*" { set "s" "${1}"; }',
  '',
].join('\r\n');

describe('readImportFile', () => {
  it('takes UTF-8 text and drops a leading byte order mark', () => {
    expect(readImportFile(Buffer.from('\ufeff# rule:[Ά]\r\n'))).toBe('# rule:[Ά]\r\n');
  });

  it('refuses empty, blank, too large, binary and non-UTF-8 files, each with its code', () => {
    expect(fileCode('')).toBe('empty');
    expect(fileCode('\ufeff \r\n')).toBe('empty');
    expect(fileCode(new Uint8Array(IMPORT_MAX_BYTES).fill(0x23))).toBe('too_large');
    expect(fileCode(new Uint8Array(IMPORT_MAX_BYTES - 1).fill(0x23))).toBeUndefined();
    expect(fileCode('keep;\0')).toBe('binary');
    expect(fileCode('keep;\x1b[31m')).toBe('binary');
    expect(fileCode('keep;\x7f')).toBe('binary');
    expect(fileCode('\tkeep;\f\r\n')).toBeUndefined();
    expect(fileCode(Uint8Array.from([0x23, 0xe1, 0x0a]))).toBe('not_utf8');
    expect(fileCode(Uint8Array.from([0x23, 0xed, 0xa0, 0x80]))).toBe('not_utf8');
  });
});

describe('export and import plans', () => {
  it('exports the filters with the require they need, and no app section', () => {
    const text = exportText(stateOf(USER), '2026-12-07');
    expect(text).toBe(['# Filters exported from EmailNG Settings on 2026-12-07.', '# Vacation, spam, forwarding and sender lists are not included: they are set on their own pages.', 'require ["fileinto"];', '# rule:[Work]', 'if header :contains "subject" "work" {', '\tfileinto "Work";', '}', ''].join('\r\n'));
  });

  it('replaces the filters with the file’s, keeps the sections, and requires what the imported items use', () => {
    const plan = planImport(stateOf(USER), parseDocument(FILE));
    expect(plan.preview.added.map((r) => r.name)).toEqual(['Flag it']);
    expect(plan.preview.removed.map((r) => r.name)).toEqual(['Work']);
    expect(plan.preview.customAdded).toEqual([{ text: expect.stringContaining('set "s"') }]);
    const printed = printDocument(plan.doc, { capabilities: CAPABILITIES });
    expect(printed).toContain('# emailng:begin vacation');
    expect(printed).not.toContain('# rule:[Work]');
    expect(printed).toMatch(/^require \["imap4flags", "vacation", "variables"\];\r$/m);
    // The file's text, byte for byte.
    expect(printed).toContain(FILE.slice(FILE.indexOf('# rule:[Flag it]')));
  });

  it('says a rule of the same name and Sieve is unchanged, whatever its id', () => {
    const plan = planImport(stateOf(USER), parseDocument(exportText(stateOf(USER), '2026-12-07')));
    expect(plan.preview).toMatchObject({ added: [], changed: [], removed: [], unchanged: 1 });
  });
});
