/**
 * `npm run digests`: sends the held-mail digests that are due (features/quarantine/digests.ts),
 * through config.outbound. Safe to run from several hosts or timers at once. Prints one JSON
 * line: how many were sent and skipped, who failed. `-- --user <uid>` limits it to that user.
 * Exit status: 0 done, 1 failed (some digests not sent: the next run tries them again),
 * 2 not configured (no quarantine or no outbound).
 */
import { ConfigError, loadConfig } from '../config/load';
import { createLogger } from '../logging';
import { closeServices, createServices } from '../services';
import { digestRunnerFor } from './digest-runner';

function usersFromArguments(args: string[]): Set<string> | undefined {
  const users = args.flatMap((arg, i) => (args[i - 1] === '--user' ? [arg] : []));
  return users.length > 0 ? new Set(users) : undefined;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const services = createServices(config, createLogger(config.logging.level, process.stderr));
  try {
    const runner = digestRunnerFor(services);
    if (!runner) {
      process.stderr.write('digests: quarantine or outbound is not configured; nothing to do\n');
      return 2;
    }
    const outcome = await runner.run(new Date(), usersFromArguments(process.argv.slice(2)));
    process.stdout.write(`${JSON.stringify({ sent: outcome.sent.length, skipped: outcome.skipped, failed: outcome.failed })}\n`);
    return outcome.failed.length > 0 ? 1 : 0;
  } finally {
    await closeServices(services);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`digests: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    process.exit(1);
  },
);
