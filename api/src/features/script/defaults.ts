import type { SieveDocument } from '../../sieve';
import { assembleDocument } from '../../sieve';
import type { ScriptState } from './store';

/**
 * Once a user has a script of her own, Pigeonhole no longer runs the site's default script,
 * which files tagged spam into SPAM. So the first time the app writes a script, it adds the
 * same rule as the user's own spam section ("Standard"): nothing about spam changes for her.
 */
export function withDefaultSpam(state: ScriptState): SieveDocument {
  const hasSpam = state.doc.items.some((i) => i.kind === 'section' && i.name === 'spam');
  if (hasSpam) return state.doc;
  return assembleDocument(state.doc, { spam: { threshold: null, folder: 'SPAM' } }, state.options);
}
