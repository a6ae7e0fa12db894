import { describe, expect, it } from 'vitest';
import { ImapError, toImapError } from '../../../../api/src/backends/imap/errors';

// A failed master login is not exercised against the real stack: Dovecot then delays every
// later login from the test's address by seconds, slowing every test after it.
describe('IMAP error mapping', () => {
  it('types a refused login, a failed command and a lost connection', () => {
    expect(toImapError(Object.assign(new Error('Authentication failed'), { authenticationFailed: true })).code).toBe('AUTH_FAILED');
    const overQuota = toImapError(Object.assign(new Error('Command failed'), { serverResponseCode: 'OVERQUOTA' }));
    expect([overQuota.code, overQuota.serverResponseCode]).toEqual(['COMMAND_FAILED', 'OVERQUOTA']);
    expect(toImapError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).code).toBe('UNAVAILABLE');
    expect(toImapError(Object.assign(new Error('closed'), { code: 'NoConnection' })).code).toBe('UNAVAILABLE');
  });

  it('passes our own errors through unchanged', () => {
    const own = new ImapError('UNAVAILABLE', 'x');
    expect(toImapError(own)).toBe(own);
  });
});
