import { api } from '../api/client';
import { ApiError } from '../api/errors';
import { ALIAS_FIELD_CODES, type AliasFieldCode, type AliasPolicy } from '../api/types';
import { useResource } from './useResource';
import { useSession } from './useSession';

// The Aliases page's state: the user's addresses as the API last answered, and the changes.
// Failures come back as ApiError; the view decides where each is shown.

export type AliasOutcome = 'created' | 'changed' | 'unchanged' | 'removed';

/** The field code of a failed alias request, when it carries a known one. */
export function aliasFieldCode(err: unknown): AliasFieldCode | null {
  if (!(err instanceof ApiError)) return null;
  const code = err.fields.address;
  return code !== undefined && (ALIAS_FIELD_CODES as readonly string[]).includes(code) ? (code as AliasFieldCode) : null;
}

/** Policy codes the browser can tell without asking the server (same rules as the API's). */
export type LocalAliasCode = 'required' | 'too_long' | 'too_short' | 'invalid_characters' | 'bad_punctuation' | 'wrong_domain';

const MAX_ADDRESS = 254;

/**
 * The API's policy check (api/src/features/aliases/policy.ts), repeated here so a malformed
 * address is explained at once and costs none of the user's rate-limited availability checks.
 * The server checks again; this only saves a round trip. Returns the full lower-case address.
 */
export function checkAliasLocally(input: string, policy: AliasPolicy): { ok: true; address: string } | { ok: false; code: LocalAliasCode } {
  const text = input.trim();
  if (text.length === 0) return { ok: false, code: 'required' };
  if (text.length > MAX_ADDRESS) return { ok: false, code: 'too_long' };
  const parts = text.split('@');
  if (parts.length > 2) return { ok: false, code: 'invalid_characters' };
  const [local = '', domain] = parts;
  if (domain !== undefined && domain.toLowerCase() !== policy.domain.toLowerCase()) {
    return { ok: false, code: local.length === 0 ? 'required' : 'wrong_domain' };
  }
  if (local.length === 0) return { ok: false, code: 'required' };
  const punctuation = policy.punctuation.replace(/[\\\]^-]/g, (c) => `\\${c}`);
  if (!new RegExp(`^[A-Za-z0-9${punctuation}]+$`).test(local)) return { ok: false, code: 'invalid_characters' };
  if (local.length > policy.maxLocalPartLength) return { ok: false, code: 'too_long' };
  if (local.length < policy.minLocalPartLength) return { ok: false, code: 'too_short' };
  if (/^[^A-Za-z0-9]|[^A-Za-z0-9]$/.test(local) || local.includes('..')) return { ok: false, code: 'bad_punctuation' };
  return { ok: true, address: `${local.toLowerCase()}@${policy.domain.toLowerCase()}` };
}

export function useAliases() {
  const { data: aliases, loading, loadError, load } = useResource(api.aliases);
  // The session's `me` carries the user's addresses too: keep it in step after a change.
  const session = useSession();

  /** Creates the additional alias, or changes `replace` into `address`. */
  async function save(address: string, replace: string | null): Promise<AliasOutcome> {
    const res = await api.setAlias(address, replace ?? undefined);
    aliases.value = res;
    if (!res.changed) return 'unchanged';
    void session.refresh();
    return replace ? 'changed' : 'created';
  }

  async function remove(address: string): Promise<AliasOutcome> {
    aliases.value = await api.removeAlias(address);
    void session.refresh();
    return 'removed';
  }

  return { aliases, loading, loadError, load, save, remove };
}
