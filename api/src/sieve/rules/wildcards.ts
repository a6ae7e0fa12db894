/** RFC 5228 §2.7.1 `:matches` patterns: `*` and `?` are wildcards, `\` escapes. */

export const escapeWildcards = (literal: string): string => literal.replace(/[\\*?]/g, '\\$&');

/**
 * The literal text of a pattern that is exactly `literal*` (`starts`) or `*literal`
 * (`ends`), or null when the pattern is anything else.
 */
export function literalAffix(pattern: string): { kind: 'starts' | 'ends'; literal: string } | null {
  let literal = '';
  const wildcards: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i];
    } else if (c === '*' || c === '?') {
      wildcards.push(i);
      if (c === '?') return null;
    } else {
      literal += c;
    }
  }
  if (wildcards.length !== 1 || literal === '') return null;
  if (wildcards[0] === pattern.length - 1) return { kind: 'starts', literal };
  if (wildcards[0] === 0) return { kind: 'ends', literal };
  return null;
}
