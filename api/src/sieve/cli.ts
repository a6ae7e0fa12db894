/**
 * `npm run sieve -- check|print|rules <file>`
 *   check  report syntax errors as file:line:column (exit 1)
 *   print  parse and print back (untouched statements byte-exact)
 *   rules  the recognised rules, app sections and custom blocks as JSON
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from './document/parse-document.js';
import { printDocument } from './document/print-document.js';
import { SieveSyntaxError } from './errors.js';
import { parseScript } from './parser.js';

const USAGE = 'usage: npm run sieve -- check|print|rules <file>';

export function runCli(args: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [verb, file] = args;
  if (!file || !['check', 'print', 'rules'].includes(verb ?? '')) {
    err(USAGE);
    return 2;
  }
  const text = readUtf8(file);
  if (text === null) {
    err(`${file}: error [invalid-utf8] the file is not UTF-8 text`);
    return 1;
  }
  try {
    if (verb === 'check') {
      parseScript(text);
      out(`${file}: ok\n`);
    } else if (verb === 'print') {
      // Exactly the printed text: an untouched file comes back byte for byte, final newline or not.
      out(printDocument(parseDocument(text)));
    } else {
      const doc = parseDocument(text);
      const items = doc.items.map((i) =>
        i.kind === 'rule' ? { kind: 'rule', rule: i.rule } : i.kind === 'section' ? { kind: 'section', name: i.name, text: i.text } : { kind: 'custom', writer: i.writer, name: i.name, text: i.text },
      );
      out(JSON.stringify({ requires: doc.requires, items }, null, 2) + '\n');
    }
    return 0;
  } catch (error) {
    if (error instanceof SieveSyntaxError) {
      err(`${file}:${error.line}:${error.column}: error [${error.code}] ${error.message.replace(/^\d+:\d+: /, '')}`);
      return 1;
    }
    throw error;
  }
}

/** The file's text, or null when it is not valid UTF-8 (decoding would replace bytes). A BOM is kept. */
function readUtf8(file: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(file));
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = runCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => console.error(s));
}
