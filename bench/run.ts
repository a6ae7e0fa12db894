/**
 * `npm run bench`: every benchmark, figures printed as JSON. Needs the local stack for the API
 * figures (started here if it is not running). Benchmarks measure; they assert nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { run as runApi } from './api';

async function main(): Promise<void> {
  const only = process.argv[2];
  const report: Record<string, unknown> = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, date: new Date().toISOString() },
  };
  if ((!only || only === 'sieve') && existsSync('bench/sieve-parse.ts')) {
    const sieve = (await import('./sieve-parse')) as { run: () => Promise<unknown> | unknown };
    report.sieve = await sieve.run();
  }
  if (!only || only === 'api') {
    execFileSync('bash', ['deploy/stack/up.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
    report.api = await runApi();
  }
  if (!only || only === 'load') {
    execFileSync('bash', ['deploy/stack/up.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
    report.load = await (await import('./load')).run();
  }
  if (!only || only === 'failover') {
    execFileSync('bash', ['deploy/stack/up.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
    report.failover = await (await import('./failover')).run();
  }
  if (!only || only === 'quarantine') {
    execFileSync('bash', ['deploy/stack/up.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
    report.quarantine = await (await import('./quarantine')).run();
  }
  if (only === 'filters') report.filters = await (await import('./filters')).run();
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

void main();
