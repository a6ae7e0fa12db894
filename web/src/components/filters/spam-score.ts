// A spam-score condition holds a percent of the server's maximum score (spamtest :percent,
// RFC 5235); people think in the score amavisd writes in X-Spam-Score. These convert between
// the two with the maximum the API reports (FiltersResponse.spamScoreMax).

/** The score a percent stands for, to two decimals. */
export const scoreOfPercent = (percent: number, max: number): number => Math.round(percent * max) / 100;

/** The whole percent nearest to a score, within 0..100. */
export function percentOfScore(score: number, max: number): number {
  if (!Number.isFinite(score) || !(max > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((score / max) * 100)));
}
