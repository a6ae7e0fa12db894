// A small Sieve tokenizer for the raw editor's colouring: comments, strings, multi-line
// `text:` blocks, tags, numbers and known commands. It only colours; it never decides
// whether a script is valid (the server's CHECKSCRIPT does).

export type TokenKind = 'comment' | 'string' | 'tag' | 'number' | 'command' | 'test' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const COMMANDS = new Set([
  'require', 'if', 'elsif', 'else', 'stop', 'keep', 'discard', 'fileinto', 'redirect', 'reject', 'ereject', 'vacation',
  'addflag', 'setflag', 'removeflag', 'set', 'include', 'return', 'global', 'addheader', 'deleteheader', 'notify',
]);
const TESTS = new Set(['address', 'allof', 'anyof', 'envelope', 'exists', 'false', 'true', 'header', 'not', 'size', 'body', 'date', 'currentdate', 'spamtest', 'virustest', 'hasflag', 'mailboxexists', 'string', 'duplicate']);

/** Tokens per line (a token never spans lines: multi-line strings are cut at each line end). */
export function highlightLines(source: string): Token[][] {
  const lines: Token[][] = [[]];
  const push = (kind: TokenKind, text: string) => {
    const parts = text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) {
        const line = lines[lines.length - 1] as Token[];
        const last = line[line.length - 1];
        if (last && last.kind === kind) last.text += part;
        else line.push({ kind, text: part });
      }
    });
  };
  const s = source.replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    const rest = s.slice(i, i + 5).toLowerCase();
    if (ch === '#') {
      const end = s.indexOf('\n', i);
      const stop = end === -1 ? s.length : end;
      push('comment', s.slice(i, stop));
      i = stop;
    } else if (ch === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      const stop = end === -1 ? s.length : end + 2;
      push('comment', s.slice(i, stop));
      i = stop;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      const stop = Math.min(j + 1, s.length);
      push('string', s.slice(i, stop));
      i = stop;
    } else if (rest === 'text:') {
      // Up to a line holding only "." (RFC 5228 §2.4.2).
      const m = /\n\.(?:\n|$)/.exec(s.slice(i));
      const stop = m ? i + m.index + m[0].length - (m[0].endsWith('\n') ? 1 : 0) : s.length;
      push('string', s.slice(i, stop));
      i = stop;
    } else if (ch === ':' && /[A-Za-z_]/.test(s[i + 1] ?? '')) {
      const m = /^:[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i)) as RegExpExecArray;
      push('tag', m[0]);
      i += m[0].length;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+[KMGkmg]?/.exec(s.slice(i)) as RegExpExecArray;
      push('number', m[0]);
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i)) as RegExpExecArray;
      const word = m[0].toLowerCase();
      push(COMMANDS.has(word) ? 'command' : TESTS.has(word) ? 'test' : 'plain', m[0]);
      i += m[0].length;
    } else {
      push('plain', ch);
      i += 1;
    }
  }
  return lines;
}
