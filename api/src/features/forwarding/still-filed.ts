import type { SieveDocument } from '../../sieve';

/**
 * Folders the user's own filters file mail into. Forwarding without a copy cancels only the
 * implicit keep: the filters run after the forwarding section, and a message one of them files
 * still stays in that folder. The forwarding page names these, so "no copy stays" is not said
 * of mail that does stay. (Hand-written Sieve is shown as such on the filters page.)
 */
export function foldersFiledByFilters(doc: SieveDocument): string[] {
  const folders = new Set<string>();
  for (const item of doc.items) {
    if (item.kind !== 'rule' || !item.rule.enabled) continue;
    for (const action of item.rule.actions) if (action.type === 'fileinto') folders.add(action.mailbox);
  }
  return [...folders];
}
