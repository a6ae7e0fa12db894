import type { SpamResponse } from '../api/types';
import type { SpamForm } from './useSpamForm';
import { parseScore, presetThreshold } from './useSpamForm';

// What delivery does with suspected spam, in sentences. Both the overview and the spam page
// make theirs here, from the API's `delivery` (api/src/features/spam/delivery.ts: derived from
// the settings the Sieve is generated from), so neither can say something the Sieve does not do.

export type SpamDelivery = SpamResponse['delivery'];

type Translate = (key: string, values?: Record<string, unknown>) => string;

export function spamSentences(d: SpamDelivery, t: Translate, score: (n: number) => string): string[] {
  switch (d.filing) {
    case 'none':
      return [t('spam.summaryOff')];
    case 'foreign':
      return [t('spam.summaryForeign')];
    case 'flagged':
    case 'score': {
      const key = d.filing === 'flagged' ? 'spam.summaryFlagged' : 'spam.summaryOn';
      const filed = t(key, { score: score(d.from), folder: d.folder });
      return d.discardFrom === null ? [filed] : [filed, t('spam.summaryDiscard', { score: score(d.discardFrom) })];
    }
  }
}

/** The delivery an unsaved form stands for, by the same rules (before the server has turned
 *  the threshold into its coarse scale: the saved view then says where it really starts). */
export function formDelivery(f: SpamForm, res: SpamResponse): SpamDelivery {
  if (f.level === 'off') return { filing: 'none' };
  // Where the content filter holds at the user's own level, her filter never sees that mail.
  const discardFrom = f.discard && !res.held?.followsDiscard ? parseScore(f.discardAbove) : null;
  if (f.level === 'standard') return { filing: 'flagged', folder: f.folder, from: res.siteThreshold, discardFrom };
  const from = f.level === 'custom' ? parseScore(f.threshold) : presetThreshold(res, f.level);
  return from === null ? { filing: 'none' } : { filing: 'score', folder: f.folder, from, discardFrom };
}

/** Where the site's content filter starts holding mail back, for the saved view or a form being
 *  edited (null: the site has no quarantine this app shows). */
export function formHold(f: SpamForm, res: SpamResponse): SpamResponse['held'] {
  const held = res.held;
  if (!held || !held.followsDiscard) return held;
  const own = f.level !== 'off' && f.discard ? parseScore(f.discardAbove) : null;
  return { ...held, from: own ?? res.quarantineScore };
}
