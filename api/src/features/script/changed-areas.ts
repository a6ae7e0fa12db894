import { createHash } from 'node:crypto';
import { parseDocument, type SieveDocument } from '../../sieve';

/**
 * Which settings areas a change of the script's text touched, for the Security page's
 * timeline: each of the app's sections by its name ('vacation', 'spam', 'forwarding',
 * 'allow-block'), 'filters' when the rules differ, 'script' when Sieve the app does not model
 * differs (or a text cannot be read). Never empty for two different texts.
 */
export function changedAreas(before: string, after: string): string[] {
  if (before === after) return [];
  let old: SieveDocument;
  let now: SieveDocument;
  try {
    old = parseDocument(before);
    now = parseDocument(after);
  } catch {
    return ['script'];
  }
  const areas: string[] = [];
  const sections = (doc: SieveDocument) => new Map(doc.items.flatMap((i) => (i.kind === 'section' ? [[i.name as string, i.text] as const] : [])));
  const [oldSections, newSections] = [sections(old), sections(now)];
  for (const name of new Set([...oldSections.keys(), ...newSections.keys()])) {
    if (oldSections.get(name) !== newSections.get(name)) areas.push(name);
  }
  const rules = (doc: SieveDocument) => JSON.stringify(doc.items.flatMap((i) => (i.kind === 'rule' ? [i.rule] : [])));
  if (rules(old) !== rules(now)) areas.push('filters');
  const custom = (doc: SieveDocument) => JSON.stringify(doc.items.flatMap((i) => (i.kind === 'custom' ? [i.text] : [])));
  if (custom(old) !== custom(now) || areas.length === 0) areas.push('script');
  return areas;
}

/**
 * What is active for the user, in a few bytes, so a later read can tell whether something
 * other than this app changed it: the app's script text, another script made active, or none.
 */
export function activeFingerprint(state: { text: string; active: boolean; foreignActive: string | null }): string {
  if (state.foreignActive !== null) return `other:${createHash('sha256').update(state.foreignActive).digest('base64url')}`;
  if (!state.active) return 'none';
  return `app:${createHash('sha256').update(state.text).digest('base64url')}`;
}
