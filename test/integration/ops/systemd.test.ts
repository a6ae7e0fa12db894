import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/stack';

// deploy/systemd/emailng-settings.service passes `systemd-analyze verify` (Debian's systemd,
// the nginx group of deploy/install-packages.sh): an unknown or misspelt directive, which
// systemd would only warn about and ignore at boot, fails here. Nothing is started.

const UNIT = path.join(REPO_ROOT, 'deploy/systemd/emailng-settings.service');
const dir = mkdtempSync(path.join(tmpdir(), 'emailng-systemd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('systemd units', () => {
  it.each(['emailng-settings.service', 'emailng-housekeeping.service', 'emailng-housekeeping.timer', 'emailng-digests.service', 'emailng-digests.timer'])('%s passes systemd-analyze verify without a warning', (name) => {
    expect(existsSync('/usr/bin/systemd-analyze'), 'systemd-analyze missing: bash deploy/install-packages.sh nginx').toBe(true);
    // The units name Debian's /usr/bin/node; verify checks that the command exists, so point
    // them at the node running this test wherever it is installed. A timer is verified beside
    // the service it starts.
    for (const unit of new Set([name, name.replace(/\.timer$/, '.service')])) {
      const text = readFileSync(path.join(REPO_ROOT, 'deploy/systemd', unit), 'utf8');
      writeFileSync(path.join(dir, unit), text.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    }
    const run = spawnSync('/usr/bin/systemd-analyze', ['verify', path.join(dir, name)], { encoding: 'utf8' });
    // It warns on stderr and still exits 0: both must be clean.
    expect(run.stderr + run.stdout).toBe('');
    expect(run.status).toBe(0);
  });

  it('starts the bundle with the heap bounds the load bench measures', () => {
    const unit = readFileSync(UNIT, 'utf8');
    const bench = readFileSync(path.join(REPO_ROOT, 'bench/load.ts'), 'utf8');
    const flags = /^ExecStart=\/usr\/bin\/node (.*) dist\/node\/api\/server\.mjs$/m.exec(unit)?.[1];
    expect(flags).toMatch(/--max-old-space-size=\d+ --max-semi-space-size=\d+/);
    expect(bench).toContain(`'${flags}'`);
  });
});
