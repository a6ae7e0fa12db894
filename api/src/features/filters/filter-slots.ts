import type { CustomBlock, DocumentItem, RuleItem, SieveDocument } from '../../sieve';

/** The user's filters: every item but the app's sections (rules and custom blocks), in order. */
export const filterItems = (doc: SieveDocument): Array<RuleItem | CustomBlock> => doc.items.filter((i): i is RuleItem | CustomBlock => i.kind !== 'section');

/**
 * The document with its filters replaced by `next`, in order. The app's sections keep their
 * places; the filter slots between them take the new list, and what is left over follows.
 */
export function withFilterItems(doc: SieveDocument, next: ReadonlyArray<RuleItem | CustomBlock>): SieveDocument {
  const items: DocumentItem[] = [];
  let k = 0;
  for (const item of doc.items) {
    if (item.kind === 'section') items.push(item);
    else if (k < next.length) items.push(next[k++] as DocumentItem);
  }
  while (k < next.length) items.push(next[k++] as DocumentItem);
  return { ...doc, items };
}
