/** The part of a raw message before the first empty line: its header, never its body. */
export function headerPart(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return end < 0 ? raw : raw.slice(0, end);
}

/** One header field's value, unfolded; null when absent. */
export function headerValue(header: string, name: string): string | null {
  const unfolded = header.replace(/\r?\n[ \t]+/g, ' ');
  const prefix = `${name.toLowerCase()}:`;
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(prefix));
  return line === undefined ? null : line.slice(prefix.length).trim();
}

export interface SpamTest {
  name: string;
  score: number | null;
}

/**
 * SpamAssassin's tests from an X-Spam-Status value as amavisd writes it,
 * `Yes, score=999.999 tag=-999 tag2=6.31 kill=20 tests=[GTUBE=1000, NO_RELAYS=-0.001] autolearn=disabled`
 * (or SpamAssassin's own `tests=GTUBE,NO_RELAYS`); null when the value names none.
 */
export function spamTests(status: string | null): SpamTest[] | null {
  if (status === null) return null;
  const bracketed = /tests=\[([^\]]*)\]/.exec(status);
  const plain = bracketed ? null : /tests=([A-Z0-9_,.=-]+)/i.exec(status);
  const list = bracketed?.[1] ?? plain?.[1];
  if (list === undefined) return null;
  return list
    .split(',')
    .map((t) => t.trim())
    .filter((t) => /^[A-Z0-9_]+(=-?[0-9.]+)?$/i.test(t))
    .map((t) => {
      const [name = '', score] = t.split('=');
      return { name, score: score === undefined ? null : Number(score) };
    });
}
