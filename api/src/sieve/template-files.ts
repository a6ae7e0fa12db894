import { readFileSync } from 'node:fs';

/** The template files the app renders, in sieve-templates/ at the repository root. */
export type TemplateName = 'allow-block' | 'spam' | 'forwarding' | 'vacation';

const TEMPLATE_DIR = new URL('../../../sieve-templates/', import.meta.url);
const cache = new Map<TemplateName, string>();

/** Reads a template once (the only file access of the Sieve layer; templates ship with the app). */
export function readTemplate(name: TemplateName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`${name}.sieve`, TEMPLATE_DIR), 'utf8');
    cache.set(name, text);
  }
  return text;
}
