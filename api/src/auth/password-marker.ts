import { createHmac } from 'node:crypto';

/**
 * A keyed fingerprint of the password a user just signed in with, so that the next password
 * sign-in can tell the password changed and end the user's other sessions. Our directory
 * keeps no password-change time (no ppolicy overlay, so no pwdChangedTime), and the service
 * account may not read userPassword; the password itself, at bind time, is what we have.
 * Keyed with a key derived from the session key and cut to 128 bits, the fingerprint is of no
 * use to someone who reads the store without the app's configuration.
 */
export function passwordMarker(sessionKey: Uint8Array, uid: string, password: string): string {
  const key = createHmac('sha256', sessionKey).update('emailng password marker v1').digest();
  return createHmac('sha256', key).update(uid).update('\0').update(password).digest('base64url').slice(0, 22);
}
