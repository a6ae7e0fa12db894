import type { Spam, SpamFolder, SpamLevel, SpamResponse } from '../api/types';

// The spam form as edited (scores as text, lists as one entry per line) ⇄ the API's shape.

export interface SpamForm {
  level: SpamLevel;
  /** The custom threshold, as typed ("6,5" is fine: Greek writes a decimal comma). */
  threshold: string;
  folder: SpamFolder;
  discard: boolean;
  discardAbove: string;
  allow: string;
  block: string;
  blockAction: 'discard' | 'folder';
}

export const LEVELS: readonly SpamLevel[] = ['off', 'lenient', 'standard', 'strict', 'custom'];

/** A score as typed: `6.5`, `6,5`, `-1`; null when it is not a number. */
export function parseScore(text: string): number | null {
  const t = text.trim().replace(',', '.');
  return /^-?\d{1,3}(\.\d+)?$/.test(t) ? Number(t) : null;
}

/** One entry per line; commas, semicolons and spaces separate entries too. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** A preset's score; Standard is the site's own tagging (no threshold of its own). */
export function presetThreshold(res: SpamResponse, level: SpamLevel): number | null {
  if (level === 'off') return null;
  return res.presets.find((p) => p.level === level)?.threshold ?? res.siteThreshold;
}

export function toForm(res: SpamResponse): SpamForm {
  const s = res.spam;
  const threshold = s.threshold ?? presetThreshold(res, s.level) ?? res.siteThreshold;
  return {
    level: s.level,
    threshold: String(threshold),
    folder: s.folder,
    discard: s.discardAbove !== null,
    discardAbove: String(s.discardAbove ?? Math.max(threshold + 5, Math.min(15, res.quarantineScore - 1))),
    allow: s.allow.join('\n'),
    block: s.block.join('\n'),
    blockAction: s.blockAction,
  };
}

export function toBody(f: SpamForm, res: SpamResponse): Spam {
  return {
    level: f.level,
    threshold: f.level === 'custom' ? parseScore(f.threshold) : (res.presets.find((p) => p.level === f.level)?.threshold ?? null),
    folder: f.folder,
    discardAbove: f.discard && f.level !== 'off' ? parseScore(f.discardAbove) : null,
    allow: splitList(f.allow),
    block: splitList(f.block),
    blockAction: f.blockAction,
  };
}

export function check(f: SpamForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (f.level === 'custom' && parseScore(f.threshold) === null) problems.threshold = f.threshold.trim() ? 'not_a_number' : 'required';
  if (f.discard && f.level !== 'off' && parseScore(f.discardAbove) === null) {
    problems.discardAbove = f.discardAbove.trim() ? 'not_a_number' : 'required';
  }
  return problems;
}

/** The effective threshold the form stands for, for the plain-words summary. */
export function effectiveThreshold(f: SpamForm, res: SpamResponse): number | null {
  if (f.level === 'off') return null;
  return f.level === 'custom' ? parseScore(f.threshold) : presetThreshold(res, f.level);
}
