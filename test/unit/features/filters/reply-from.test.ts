// Who an automatic reply may say it is from: only the user's own addresses, with a display
// name of one plain line. Checked on the builder's reply action and on any raw script.
import { parseScript } from '../../../../api/src/sieve/parser';
import { SieveSyntaxError } from '../../../../api/src/sieve/errors';
import { describe, expect, it } from 'vitest';
import { replyFromProblem, scriptReplyFromProblem } from '../../../../api/src/features/filters/reply-from';

const OWN = ['load140@cs.example.org', 'Giorgos.Andreou@cs.example.org'];

describe('replyFromProblem', () => {
  it.each([
    ['the login address', 'load140@cs.example.org'],
    ['an alias, in another case', 'giorgos.andreou@CS.example.org'],
    ['with a display name', 'Giorgos <load140@cs.example.org>'],
    ['with a quoted Greek display name', '"Γιώργος Ανδρέου" <load140@cs.example.org>'],
    ['with a display name that is another address', '"rector@uni.example" <load140@cs.example.org>'],
  ])('accepts %s', (_label, value) => {
    expect(replyFromProblem(value, OWN)).toBeNull();
  });

  it.each([
    ['another address', 'rector@uni.example', 'not_own_address'],
    ['another address behind a display name', 'Rector <rector@uni.example>', 'not_own_address'],
    ['an own address only in the display name', '"load140@cs.example.org" <rector@uni.example>', 'not_own_address'],
    ['an own address with a +detail', 'load140+x@cs.example.org', 'not_own_address'],
    ['a CRLF header injection', 'Me <load140@cs.example.org>\r\nBcc: x@evil.example', 'line_break'],
    ['a lone LF', 'Me\n<load140@cs.example.org>', 'line_break'],
    ['a Unicode line separator', 'Me\u2028 <load140@cs.example.org>', 'line_break'],
    ['an encoded-word display name', '=?UTF-8?B?UmVjdG9y?= <load140@cs.example.org>', 'encoded_word'],
    ['an encoded-word in Q', '=?utf-8?q?Rector?= <load140@cs.example.org>', 'encoded_word'],
    ['a TAB', 'Me\t<load140@cs.example.org>', 'invalid_address'],
    ['a variable', '${from}', 'invalid_address'],
    ['a variable for the domain', 'load140@${domain}', 'invalid_address'],
    ['two addresses', 'load140@cs.example.org rector@uni.example', 'invalid_address'],
    ['an unclosed bracket', 'Me <load140@cs.example.org', 'invalid_address'],
    ['nothing', '', 'invalid_address'],
  ])('refuses %s', (_label, value, code) => {
    expect(replyFromProblem(value, OWN)).toBe(code);
  });
});

describe('scriptReplyFromProblem', () => {
  it('finds a foreign :from inside nested if/elsif/else blocks, with its line', () => {
    const text = [
      'require ["vacation"];',
      'if header :contains "subject" "a" {',
      '  vacation :from "load140@cs.example.org" "fine";',
      '} elsif true {',
      '  if true {',
      '    vacation :days 1 :from "Rector <rector@uni.example>" "not mine";',
      '  }',
      '}',
    ].join('\r\n');
    expect(scriptReplyFromProblem(text, OWN)).toEqual({ code: 'not_own_address', line: 6, value: 'Rector <rector@uni.example>' });
  });

  it('takes any case of the command and tag, and a :from that is a list', () => {
    expect(scriptReplyFromProblem('require "vacation";\nVACATION :FROM "x@evil.example" "r";', OWN)?.code).toBe('not_own_address');
  });

  it('leaves a :from that is a list to the syntax check, which refuses it with its position', () => {
    const text = 'require "vacation";\nvacation :from ["load140@cs.example.org"] "r";';
    expect(() => parseScript(text)).toThrow(SieveSyntaxError);
    expect(scriptReplyFromProblem(text, OWN)).toBeNull();
  });

  it('passes a script without :from, and leaves one that does not parse to the server', () => {
    expect(scriptReplyFromProblem('require "vacation";\nvacation "away";', OWN)).toBeNull();
    expect(scriptReplyFromProblem('vacation :from "x@evil.example" "r"', OWN)).toBeNull();
  });
});
