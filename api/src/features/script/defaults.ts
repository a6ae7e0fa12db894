import { assembleDocument, type AssembleOptions, type SieveDocument } from '../../sieve';

/**
 * Once a user has a script of her own, Pigeonhole no longer runs the site's default script,
 * which files tagged spam into SPAM. So when the app writes a user's first script, it adds the
 * same rule as the user's own spam section ("Standard"): nothing about spam changes for her.
 */
export function withDefaultSpam(doc: SieveDocument, options: AssembleOptions): SieveDocument {
  const hasSpam = doc.items.some((i) => i.kind === 'section' && i.name === 'spam');
  if (hasSpam) return doc;
  return assembleDocument(doc, { spam: { threshold: null, folder: 'SPAM' } }, options);
}
