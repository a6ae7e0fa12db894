import { spamThresholdTest, type AssembleOptions, type SpamSettings } from '../../sieve';
import type { ScriptState } from '../script/store';

/**
 * What delivery does with suspected spam, derived from the same settings the spam section is
 * generated from (assemble.ts: spamTests). Every sentence the pages show about spam is made
 * from this, never from the level's name, so what they say is what the Sieve does.
 *
 * - `none`: nothing of the user's files spam (level Off, or her own script without our section).
 * - `flagged`: mail the relays flagged (X-Spam-Flag: YES, at the site's tag level) is filed.
 * - `score`: mail whose score is at least `from` is filed. `from` is where the server's coarse
 *   spamtest scale really starts matching, which may be a little below the threshold chosen.
 *
 * `discardFrom`: the score from which mail is deleted instead (null: never).
 */
export type SpamDelivery =
  | { filing: 'none' }
  | { filing: 'foreign' }
  | { filing: 'flagged'; folder: string; from: number; discardFrom: number | null }
  | { filing: 'score'; folder: string; from: number; discardFrom: number | null };

/** What runs at delivery for this state of the user's scripts. */
export function spamDeliveryOf(state: ScriptState, spam: SpamSettings | undefined, siteThreshold: number): SpamDelivery {
  // Another script is active: ours does not run, and what that one does is its own.
  if (state.foreignActive !== null) return { filing: 'foreign' };
  // No script of the user's at all: the site's default script files what the relays flagged.
  const running = spam ?? (state.active ? undefined : SITE_DEFAULT);
  return spamDelivery(running, state.options, siteThreshold);
}

const SITE_DEFAULT: SpamSettings = { threshold: null, folder: 'SPAM' };

export function spamDelivery(spam: SpamSettings | undefined, options: AssembleOptions, siteThreshold: number): SpamDelivery {
  if (!spam || spam.enabled === false) return { filing: 'none' };
  const from = (score: number) => spamThresholdTest(score, { maxValue: options.spamtestMaxValue, capabilities: options.capabilities }).effectiveThreshold;
  const discardFrom = spam.discardAbove == null ? null : from(spam.discardAbove);
  if (spam.threshold === null) return { filing: 'flagged', folder: spam.folder, from: siteThreshold, discardFrom };
  return { filing: 'score', folder: spam.folder, from: from(spam.threshold), discardFrom };
}
