import { describe, expect, it } from 'vitest';
import { CARRIED_LENGTH, landingHash } from '../../../api/src/auth/sso-landing';

const base = { embedded: '1', lang: 'el', theme: 'dark' };
const from = (q: Record<string, string>) => (name: string) => q[name];

describe('where single sign-on lands', () => {
  it('lands on the overview unless the rule editor was asked for', () => {
    expect(landingHash(base, from({ token: 'secret', from: 'a@b.org' }))).toBe('#/?embedded=1&lang=el&theme=dark');
    expect(landingHash(base, from({ next: 'filters/raw' }))).toBe('#/?embedded=1&lang=el&theme=dark');
  });

  it('carries the three values of a message to the rule editor, encoded, and nothing else (never the token)', () => {
    const hash = landingHash(base, from({ next: 'filter-from-message', token: 'secret', from: 'a+b@x.org', subject: 'Νέα & <script>\r\n#x', listId: 'l.x.org', to: 'me@x.org' }));
    expect(hash.startsWith('#/filters/new?')).toBe(true);
    const params = new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
    expect(Object.fromEntries(params)).toEqual({ ...base, from: 'a+b@x.org', listId: 'l.x.org', subject: 'Νέα & <script>\r\n#x', source: 'message' });
    expect(hash).not.toContain('secret');
    expect(hash).not.toMatch(/[\r\n<> ]/);
  });

  it('cuts a huge value to a length still above every limit of the editor, on a character boundary', () => {
    const hash = landingHash(base, from({ next: 'filter-from-message', subject: '😀'.repeat(10_000) }));
    const subject = new URLSearchParams(hash.slice(hash.indexOf('?') + 1)).get('subject')!;
    expect(Array.from(subject)).toHaveLength(CARRIED_LENGTH);
    expect(subject).toBe('😀'.repeat(CARRIED_LENGTH));
  });
});
