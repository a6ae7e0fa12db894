/**
 * `npm run digests`: sends the held-mail digests that are due (features/quarantine/digests.ts),
 * through config.outbound. Safe to run from several hosts or timers at once. Prints one JSON
 * line: who got one, how many were skipped, who failed. `-- --user <uid>` limits it to users.
 * Exit status: 0 done, 1 failed (some digests not sent: the next run tries them again),
 * 2 not configured (no quarantine or no outbound).
 */
import { Directory } from '../backends/ldap/directory';
import { createOutbound } from '../backends/outbound';
import { DigestStore } from '../backends/quarantine/digest-store';
import { QuarantineStore } from '../backends/quarantine/store';
import { ConfigError, loadConfig } from '../config/load';
import { DigestRunner } from '../features/quarantine/digests';
import { mailContextOf, type MailContext } from '../features/quarantine/mail-texts';
import { createLogger } from '../logging';

function usersFromArguments(args: string[]): Set<string> | undefined {
  const users = args.flatMap((arg, i) => (args[i - 1] === '--user' ? [arg] : []));
  return users.length > 0 ? new Set(users) : undefined;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const { quarantine, outbound: outboundConfig } = config;
  if (!quarantine || !outboundConfig) {
    process.stderr.write('digests: quarantine or outbound is not configured; nothing to do\n');
    return 2;
  }
  const storeOptions = {
    connectionString: quarantine.databaseUrl,
    password: quarantine.password,
    statementTimeoutMs: quarantine.timeoutMs,
    connectTimeoutMs: quarantine.timeoutMs,
    maxConnections: 2,
  };
  const store = new QuarantineStore(storeOptions);
  const digests = new DigestStore(storeOptions);
  const directory = new Directory(config.ldap);
  const outbound = createOutbound(outboundConfig);
  const logger = createLogger(config.logging.level === 'info' ? 'warn' : config.logging.level, process.stderr);
  try {
    const runner = new DigestRunner({
      quarantine: store,
      digests,
      accountOf: (address) => directory.findAccountByLogin(address),
      outbound,
      mail: mailContextOf(config) as MailContext,
      maxItems: quarantine.digests.maxItems,
      defaultLanguage: quarantine.digests.defaultLanguage,
      logger,
    });
    const outcome = await runner.run(new Date(), usersFromArguments(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify({ sent: outcome.sent.length, skipped: outcome.skipped, failed: outcome.failed })}\n`);
    return outcome.failed.length > 0 ? 1 : 0;
  } finally {
    outbound.close();
    await Promise.allSettled([store.close(), digests.close(), directory.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`digests: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    process.exit(1);
  },
);
