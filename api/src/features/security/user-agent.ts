import { UAParser } from 'ua-parser-js';

export interface DescribedAgent {
  /** "Firefox 128", or null when the library does not know it. */
  browser: string | null;
  /** "Windows 10", "Android 14", or null. */
  os: string | null;
}

/** The browser's major version is all a person recognises; the rest is noise on the page. */
function named(part: { name?: string | undefined; version?: string | undefined }, major?: string): string | null {
  if (!part.name) return null;
  const version = major ?? part.version;
  return version ? `${part.name} ${version}` : part.name;
}

/** Browser and system from a User-Agent already cleaned (session-store.ts cleanUserAgent). */
export function describeUserAgent(userAgent: string): DescribedAgent {
  if (userAgent === '') return { browser: null, os: null };
  const parsed = new UAParser(userAgent).getResult();
  return { browser: named(parsed.browser, parsed.browser.major), os: named(parsed.os) };
}
