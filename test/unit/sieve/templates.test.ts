import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SieveValidationError } from '../../../api/src/sieve/errors.js';
import { parseDocument } from '../../../api/src/sieve/document/parse-document.js';
import { parseScript } from '../../../api/src/sieve/parser.js';
import { sieve } from '../../../api/src/sieve/sieve-tag.js';
import { bodyFromText, renderTemplate } from '../../../api/src/sieve/templates.js';
import { readTemplate } from '../../../api/src/sieve/template-files.js';
import { stripPositions, test as sieveTest } from '../../../api/src/sieve/ast.js';
import { hostileLine, hostileString } from '../../support/sieve-arbitraries.js';

const vacationAction = (text: string) => {
  const [section] = parseDocument(text).items;
  expect(section?.kind).toBe('section');
  const cmd = stripPositions(parseScript(text).commands[0]?.block?.[0]);
  const arg = (name: string) => {
    const args = cmd?.arguments ?? [];
    const i = args.findIndex((a) => a.type === 'tag' && a.name === name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const body = cmd?.arguments.at(-1);
  return { subject: arg('subject'), addresses: arg('addresses'), days: arg('days'), body: body?.type === 'string' ? body.value : undefined };
};

describe('renderTemplate', () => {
  it('renders the vacation template with hostile values that parse back unchanged', () => {
    const addressesArb = fc.array(hostileLine(4).map((s) => s || 'x'), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(hostileLine(), hostileString().map((s) => s.replace(/\r(?!\n)/g, '')), addressesArb, fc.integer({ min: 1, max: 30 }), (subject, body, addresses, days) => {
        const text = renderTemplate(readTemplate('vacation'), { when: sieveTest('true'), days, subject, addresses, body });
        const got = vacationAction(text);
        expect(got.subject).toEqual(subject === '' ? undefined : { type: 'string', value: subject });
        expect(got.addresses).toEqual({ type: 'string-list', items: addresses });
        expect(got.days).toEqual({ type: 'number', value: BigInt(days), quantifier: '' });
        expect(bodyFromText(got.body ?? '')).toBe(body.replace(/\r\n/g, '\n'));
      }),
      { numRuns: 1000 },
    );
  }, 60_000); // 1,000 generated cases: seconds on a busy machine

  it('checks placeholder types and refuses bad strings with codes', () => {
    const spam = readTemplate('spam');
    expect(() => renderTemplate(spam, { is_spam: sieveTest('true'), folder: 'a\nb' })).toThrow(SieveValidationError);
    expect(() => renderTemplate(spam, { is_spam: 'true', folder: 'SPAM' })).toThrow(SieveValidationError);
    try {
      renderTemplate(spam, { is_spam: sieveTest('true'), folder: 'x\0' });
    } catch (error) {
      expect((error as SieveValidationError).code).toBe('nul-character');
    }
  });

  it('keeps optional parts only when their value is present', () => {
    const spam = readTemplate('spam');
    expect(renderTemplate(spam, { is_spam: sieveTest('true'), folder: 'SPAM', create: true })).toContain('fileinto :create "SPAM";');
    expect(renderTemplate(spam, { is_spam: sieveTest('true'), folder: 'SPAM' }, { newline: '\n' })).toBe(
      '# emailng:begin spam\nif true\n{\n\tfileinto "SPAM";\n\tstop;\n}\n# emailng:end spam\n',
    );
  });
});

describe('sieve tagged template', () => {
  it('escapes every interpolated value', () => {
    expect(sieve`fileinto ${'a"b\\c'};`).toBe('fileinto "a\\"b\\\\c";');
    expect(sieve`if address :is "from" ${['x@y', 'q"@z']} { discard; }`).toBe('if address :is "from" ["x@y", "q\\"@z"] { discard; }');
  });
});
