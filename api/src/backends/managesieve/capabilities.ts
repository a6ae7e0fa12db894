/**
 * Capability lines (RFC 5804 section 1.7): each is `string [SP string]`, sent in the greeting,
 * after STARTTLS, and in answer to CAPABILITY.
 */
import { ManageSieveError } from './errors';
import type { Token } from './parser';

export interface ManageSieveCapabilities {
  /** IMPLEMENTATION, e.g. "Dovecot Pigeonhole". */
  implementation?: string;
  /** SIEVE extensions, case kept (Pigeonhole's capability names are case-sensitive). */
  sieve: string[];
  /** SASL mechanisms, upper-cased. Empty when the server offers none (e.g. before STARTTLS). */
  sasl: string[];
  starttls: boolean;
  /** MAXREDIRECTS: redirects beyond it fail silently at delivery. */
  maxRedirects?: number;
  /** NOTIFY methods (e.g. "mailto"). */
  notify: string[];
  /** VERSION; "1.0" means CHECKSCRIPT, RENAMESCRIPT and NOOP are available. */
  version?: string;
  /** Every capability as sent, name upper-cased; a capability without a value maps to "". */
  raw: Record<string, string>;
}

const words = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(/\s+/).filter((w) => w.length > 0);

export function parseCapabilities(lines: readonly Token[][]): ManageSieveCapabilities {
  const raw: Record<string, string> = {};
  for (const line of lines) {
    const [name, value, ...extra] = line;
    // Capability names are strings per RFC 5804; an atom is tolerated.
    if (
      name === undefined ||
      (name.type !== 'string' && name.type !== 'atom') ||
      (value !== undefined && value.type !== 'string') ||
      extra.length > 0
    ) {
      throw new ManageSieveError('PROTOCOL', 'malformed capability line');
    }
    raw[name.value.toUpperCase()] = value?.value ?? '';
  }
  return parseCapabilitiesRecord(raw);
}

/** Builds the typed view from capability names (upper-cased) and values. */
export function parseCapabilitiesRecord(raw: Record<string, string>): ManageSieveCapabilities {
  const caps: ManageSieveCapabilities = {
    sieve: words(raw['SIEVE']),
    sasl: words(raw['SASL']).map((m) => m.toUpperCase()),
    starttls: 'STARTTLS' in raw,
    notify: words(raw['NOTIFY']),
    raw,
  };
  if (raw['IMPLEMENTATION'] !== undefined) caps.implementation = raw['IMPLEMENTATION'];
  if (raw['VERSION'] !== undefined) caps.version = raw['VERSION'];
  const maxRedirects = raw['MAXREDIRECTS'];
  if (maxRedirects !== undefined && /^\d+$/.test(maxRedirects.trim())) caps.maxRedirects = Number(maxRedirects.trim());
  return caps;
}
