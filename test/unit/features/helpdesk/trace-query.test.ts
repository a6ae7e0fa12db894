import { describe, expect, it } from 'vitest';
import { normalizeMessageId, parseTraceQuery } from '../../../../api/src/features/helpdesk/trace-query';

const since = '2026-12-07T08:00:00Z';
const until = '2026-12-07T18:00:00Z';

describe('a message trace’s window', () => {
  it('is required at both ends, forwards, and at most 7 days', () => {
    expect(parseTraceQuery({})).toEqual({ field: 'since', problem: 'window_unbounded' });
    expect(parseTraceQuery({ since })).toEqual({ field: 'until', problem: 'window_unbounded' });
    expect(parseTraceQuery({ since: until, until: since })).toEqual({ field: 'until', problem: 'window_reversed' });
    expect(parseTraceQuery({ since, until: since })).toEqual({ field: 'until', problem: 'window_reversed' });
    expect(parseTraceQuery({ since: '2025-12-07T08:00:00Z', until })).toEqual({ field: 'until', problem: 'window_too_long' });
    expect(parseTraceQuery({ since: '2026-11-30T18:00:00Z', until })).toMatchObject({ query: { since: new Date('2026-11-30T18:00:00Z') } });
    expect(parseTraceQuery({ since: 'last week', until })).toEqual({ field: 'since', problem: 'invalid' });
  });

  it('takes a sender as literal text and refuses control characters in it', () => {
    expect(parseTraceQuery({ since, until, sender: '  Ανδρέου%_  ' })).toMatchObject({ query: { sender: 'Ανδρέου%_' } });
    expect(parseTraceQuery({ since, until, sender: 'a\u0000' })).toEqual({ field: 'sender', problem: 'invalid_characters' });
    expect(parseTraceQuery({ since, until, sender: 'x'.repeat(255) })).toEqual({ field: 'sender', problem: 'too_long' });
  });
});

describe('Message-IDs', () => {
  it('gain their angle brackets when typed without, keep them when typed with', () => {
    expect(normalizeMessageId('abc@example.org')).toBe('<abc@example.org>');
    expect(normalizeMessageId(' <abc@example.org> ')).toBe('<abc@example.org>');
  });

  it('cannot be empty, hold spaces or brackets inside, or be longer than amavisd keeps', () => {
    for (const bad of ['<>', '', 'a b@c', '<a<b@c>', `${'x'.repeat(254)}`]) expect(normalizeMessageId(bad), bad).toBeNull();
    expect(parseTraceQuery({ since, until, messageId: 'a\u0000b' })).toEqual({ field: 'messageId', problem: 'invalid_characters' });
  });
});
