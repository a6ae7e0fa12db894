/**
 * `npm run revoke -- <uid> [reason…]`: an administrator ends every session of a user, on every
 * API instance (they share Redis), audited and shown on the user's Security page. Prints
 * `{"uid":…,"ended":n}`. Exit status: 0 done, 1 failed, 2 not possible here (no Redis: the
 * sessions live in the one API process; use POST /api/admin/revoke-sessions there).
 */
import { userInfo } from 'node:os';
import pino from 'pino';
import { RedisActivityStore, RedisConnection, RedisSessionStore } from '../backends/redis/stores';
import { revokeAllSessions } from '../auth/revoke';
import { ConfigError, loadConfig } from '../config/load';
import { createLogger } from '../logging';

const UID = /^[A-Za-z0-9._-]{1,64}$/;

async function main(args: string[]): Promise<number> {
  const [uid, ...words] = args;
  if (!uid || !UID.test(uid)) {
    process.stderr.write('usage: npm run revoke -- <uid> [reason…]\n');
    return 2;
  }
  const config = loadConfig();
  if (!config.redis) {
    process.stderr.write('revoke: redis is not configured, so sessions live inside the API process; use POST /api/admin/revoke-sessions\n');
    return 2;
  }
  const redis = new RedisConnection(config.redis);
  try {
    // stdout carries only the result line; the audit line goes to the audit file, or stderr.
    const logger = createLogger(config.logging.level, pino.destination(2), { auditFile: config.logging.auditFile });
    const unixUser = userInfo().username;
    const reason = words.join(' ').trim() || 'revoked by an administrator';
    const ended = await revokeAllSessions({ sessionStore: new RedisSessionStore(redis), activity: new RedisActivityStore(redis), logger }, uid, {
      actor: `cli:${unixUser}`,
      actorName: unixUser,
      reason,
    });
    process.stdout.write(`${JSON.stringify({ uid, ended })}\n`);
    return 0;
  } finally {
    await redis.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`revoke: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    process.exit(1);
  },
);
