// Counting real LDAP binds: slapd's own log (loglevel stats, one "BIND dn=… method=128" line
// per simple bind) read from where it stood when counting began, and a counter around the
// API's password check, for binds the log cannot tell apart from other tests'.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../../api/src/services';
import { STACK_DIR } from './stack';

const SLAPD_LOG = path.join(STACK_DIR, 'logs/slapd.log');

/** Starts counting binds of `dn` in slapd's log; `count()` reads what was logged since. */
export async function slapdBindCounter(dn: string): Promise<{ count(): Promise<number> }> {
  const start = (await stat(SLAPD_LOG)).size;
  const needle = `BIND dn="${dn}" method=128`;
  return {
    async count() {
      const file = await open(SLAPD_LOG, 'r');
      try {
        const { size } = await file.stat();
        if (size < start) throw new Error('slapd.log was rotated while counting; run the test again');
        const buffer = Buffer.alloc(size - start);
        await file.read(buffer, 0, buffer.length, start);
        return buffer.toString('utf8').split('\n').filter((line) => line.includes(needle)).length;
      } finally {
        await file.close();
      }
    },
  };
}

/** Counts the password checks (each one real bind) the API makes from now on. */
export function countPasswordChecks(services: Services): { readonly count: number } {
  const directory = services.directory;
  const check = directory.verifyPassword.bind(directory);
  const counter = { count: 0 };
  directory.verifyPassword = (dn: string, password: string) => {
    counter.count += 1;
    return check(dn, password);
  };
  return counter;
}
