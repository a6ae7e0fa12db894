import { describe, expect, it } from 'vitest';
import { SHOWN_AGENT_LENGTH, formatInstant, messageKey, shownUserAgent } from '../../../web/src/composables/securityText';

describe('security page text', () => {
  it('writes control and format characters out and cuts a long User-Agent', () => {
    expect(shownUserAgent('a\u202eb\u200bc\u0007')).toBe('a\\u{202E}b\\u{200B}c\\u{7}');
    const long = shownUserAgent(`<b>${'Σ'.repeat(100_000)}`);
    expect([...long]).toHaveLength(SHOWN_AGENT_LENGTH);
    expect(long.startsWith('<b>ΣΣ')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
    expect(shownUserAgent('Firefox 128')).toBe('Firefox 128');
  });

  it('turns API codes into message keys', () => {
    expect(messageKey('wrong-password')).toBe('wrongPassword');
    expect(messageKey('allow-block')).toBe('allowBlock');
    expect(messageKey('vacation')).toBe('vacation');
  });

  it('shows instants in the account’s zone, whatever the device’s', () => {
    expect(formatInstant('2026-12-07T22:30:00.000Z', 'Europe/Nicosia', 'en-GB')).toMatch(/8 Dec 2026, 00:30/);
    expect(formatInstant('not a time', 'Europe/Nicosia', 'en')).toBe('not a time');
  });
});
