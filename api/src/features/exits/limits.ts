import { forwardTargetProblem, type ForwardTargetProblem } from '../../shared/forward-target';
import { positionAt } from '../../sieve/position';
import { scriptExits } from './find';

export interface RawExitProblem {
  code: ForwardTargetProblem | 'too_many_redirects';
  /** The line of the redirect at fault (null for the count). */
  line: number | null;
  address?: string;
}

/**
 * What a raw script would do wrong with its exits, judged as the forwarding page judges: a
 * `redirect` the text adds (one the script did not have where it is) must pass the forwarding
 * page's address check, and the exits that run — the script's and the directory's
 * (`otherExits`) — must stay within the server's limit, unless the save does not add to a
 * count already over it. Redirects that were there are left alone: an old one never blocks an
 * unrelated edit.
 */
export function rawExitProblem(before: string, after: string, ownAddresses: readonly string[], otherExits: number, limit: number): RawExitProblem | null {
  const had = scriptExits(before);
  const known = new Set(had.map((e) => e.id));
  const now = scriptExits(after);
  for (const exit of now) {
    if (known.has(exit.id)) continue;
    // `${…}` is atext, yet with the variables extension it is replaced at delivery by what the
    // message says: a target the check cannot know. Refused as not an address.
    const code = exit.address.includes('${') ? 'invalid' : forwardTargetProblem(exit.address, ownAddresses);
    if (code) return { code, line: exit.command.span ? positionAt(after, exit.command.span.start).line : null, address: exit.address };
  }
  const count = now.filter((e) => e.active).length + otherExits;
  const previous = had.filter((e) => e.active).length + otherExits;
  return count > limit && count > previous ? { code: 'too_many_redirects', line: null } : null;
}
