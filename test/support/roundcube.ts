// Roundcube 1.6 from Debian's packages (deploy/install-packages.sh roundcube), run for a test
// with PHP's built-in server on loopback, SQLite, and its own generated config, against the
// local mail stack's director theano (IMAP 127.0.0.2:10143, ManageSieve 127.0.0.2:14190),
// with our emailng_settings plugin and (unless told otherwise: `managesieve`) Roundcube's own
// managesieve plugin enabled.
//
// Nothing system-wide is touched: the install root is a directory of symlinks into
// /usr/share/roundcube (+ our plugin from deploy/roundcube/) under the state directory
// (EMAILNG_ROUNDCUBE_DIR, default /tmp/emailng-roundcube), one subdirectory per run.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DIRECTORS, REPO_ROOT, type Director } from './stack';
import { freePort } from './listen';

const run = promisify(execFile);

export const ROUNDCUBE_SHARE = '/usr/share/roundcube';
export const ROUNDCUBE_STATE_DIR = process.env.EMAILNG_ROUNDCUBE_DIR ?? '/tmp/emailng-roundcube';
export const PLUGIN_DIR = path.join(REPO_ROOT, 'deploy/roundcube/emailng_settings');

export interface RoundcubeOptions {
  /** The app as the browser reaches it, e.g. http://127.0.0.1:8080/ */
  appUrl: string;
  issuer: string;
  audience: string;
  algorithm?: 'HS256' | 'EdDSA';
  /** base64: the HS256 secret, or the Ed25519 seed. */
  key: string;
  /** Port to listen on (0 or absent: a free one). */
  port?: number;
  /** The host name in Roundcube's URL (it always listens on 127.0.0.1): "localhost" makes it another site than 127.0.0.1. */
  hostName?: string;
  tokenTtl?: number;
  /** Roundcube's managesieve plugin: the script it writes and activates. */
  managesieveScriptName?: string;
  /**
   * Roundcube's own managesieve plugin. Absent: loaded, through theano, with the settings above
   * (what every test had before). `false`: not loaded at all (the recommended production
   * set-up, deploy/roundcube/README.md). An object: loaded, with these settings.
   */
  managesieve?: false | ManagesieveOptions;
}

export interface ManagesieveOptions {
  /** The director it talks to (default theano, 127.0.0.2:14190; plain, as on loopback). */
  director?: Director;
  /** managesieve_script_name: the script it creates and activates when the user has none. */
  scriptName?: string;
  /** managesieve_filename_exceptions: scripts it never lists, opens, activates or deletes. */
  filenameExceptions?: string[];
  /** managesieve_vacation / managesieve_forward: 0 no page, 1 page, 2 page only (default 1 / 0). */
  vacation?: 0 | 1 | 2;
  forward?: 0 | 1 | 2;
  /** managesieve_raw_editor: its "Edit filter set" raw editor (default true, Roundcube's default). */
  rawEditor?: boolean;
  /** managesieve_disabled_actions, e.g. ['new_set', 'delete_set', 'enable_disable_set']. */
  disabledActions?: string[];
}

export interface RoundcubeServer {
  url: string;
  origin: string;
  dir: string;
  /** Roundcube's own logs (errors, sql, imap) and the PHP server's output. */
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export function roundcubeInstalled(): boolean {
  return existsSync(path.join(ROUNDCUBE_SHARE, 'index.php')) && existsSync('/usr/bin/php') && existsSync('/usr/bin/sqlite3');
}

function php(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function phpList(values: readonly string[]): string {
  return `[${values.map(php).join(', ')}]`;
}

/** The managesieve_* lines of Roundcube's config ('' when the plugin is not loaded). */
function managesieveConfig(options: RoundcubeOptions): string {
  if (options.managesieve === false) return '';
  const m = options.managesieve ?? {};
  const director = m.director ?? DIRECTORS[0]!;
  const lines = [
    "// Roundcube's own managesieve plugin, through a director as the app (no TLS on loopback).",
    `$config['managesieve_host'] = ${php(`${director.host}:${director.sievePort}`)};`,
    `$config['managesieve_usetls'] = false;`,
    `$config['managesieve_script_name'] = ${php(m.scriptName ?? options.managesieveScriptName ?? 'managesieve')};`,
    `$config['managesieve_vacation'] = ${m.vacation ?? 1};`,
  ];
  if (m.forward !== undefined) lines.push(`$config['managesieve_forward'] = ${m.forward};`);
  if (m.filenameExceptions) lines.push(`$config['managesieve_filename_exceptions'] = ${phpList(m.filenameExceptions)};`);
  if (m.disabledActions) lines.push(`$config['managesieve_disabled_actions'] = ${phpList(m.disabledActions)};`);
  if (m.rawEditor !== undefined) lines.push(`$config['managesieve_raw_editor'] = ${m.rawEditor ? 'true' : 'false'};`);
  return lines.join('\n') + '\n';
}

export async function startRoundcube(options: RoundcubeOptions): Promise<RoundcubeServer> {
  if (!roundcubeInstalled()) {
    throw new Error('Roundcube is not installed: run `bash deploy/install-packages.sh roundcube` (npm test does: `… all`)');
  }
  await mkdir(ROUNDCUBE_STATE_DIR, { recursive: true });
  const dir = await mkdtemp(path.join(ROUNDCUBE_STATE_DIR, 'run-'));
  const root = path.join(dir, 'root');
  const web = path.join(root, 'public_html');
  const config = path.join(root, 'config');
  for (const d of ['plugins', 'config', 'public_html/program', 'logs', 'temp']) await mkdir(path.join(root, d), { recursive: true });

  // The install root Roundcube's index.php expects (INSTALL_PATH), made of symlinks.
  for (const name of ['index.php', 'program', 'SQL', 'skins']) await symlink(path.join(ROUNDCUBE_SHARE, name), path.join(root, name));
  for (const name of await readdir(path.join(ROUNDCUBE_SHARE, 'plugins'))) {
    await symlink(path.join(ROUNDCUBE_SHARE, 'plugins', name), path.join(root, 'plugins', name));
  }
  await symlink(PLUGIN_DIR, path.join(root, 'plugins', 'emailng_settings'));
  for (const name of ['defaults.inc.php', 'mimetypes.php']) await symlink(path.join('/etc/roundcube', name), path.join(config, name));
  // The public document root, as Debian lays out /var/lib/roundcube/public_html.
  await writeFile(path.join(web, 'index.php'), `<?php\ndefine('INSTALL_PATH', ${php(root + '/')});\ninclude INSTALL_PATH . 'index.php';\n`);
  await symlink('../plugins', path.join(web, 'plugins'));
  await symlink('../skins', path.join(web, 'skins'));
  for (const name of ['js', 'resources']) await symlink(path.join(ROUNDCUBE_SHARE, 'program', name), path.join(web, 'program', name));

  const db = path.join(dir, 'roundcube.db');
  await run('sh', ['-c', `sqlite3 "$1" < "$2"`, 'sh', db, path.join(ROUNDCUBE_SHARE, 'SQL/sqlite.initial.sql')]);

  const theano = DIRECTORS[0]!;
  const port = options.port || (await freePort());
  const origin = `http://${options.hostName ?? '127.0.0.1'}:${port}`;
  await writeFile(
    path.join(config, 'config.inc.php'),
    `<?php
// Generated by test/support/roundcube.ts for one test run.
$config = [];
$config['db_dsnw'] = ${php(`sqlite:///${db}?mode=0640`)};
$config['imap_host'] = ${php(`${theano.host}:${theano.imapPort}`)};
$config['smtp_host'] = '';
$config['des_key'] = ${php(randomBytes(18).toString('base64'))};
$config['product_name'] = 'Roundcube (EmailNG test)';
$config['plugins'] = ${options.managesieve === false ? "['emailng_settings']" : "['managesieve', 'emailng_settings']"};
$config['skin'] = 'elastic';
// No language set: Roundcube takes the browser's (Accept-Language) at the user's first login.
$config['language'] = null;
$config['log_driver'] = 'file';
$config['log_dir'] = ${php(path.join(root, 'logs') + '/')};
$config['temp_dir'] = ${php(path.join(root, 'temp') + '/')};
$config['enable_installer'] = false;
$config['support_url'] = '';
$config['enable_spellcheck'] = false;
${managesieveConfig(options)}`,
  );
  await writeFile(
    path.join(config, 'emailng_settings.inc.php'),
    `<?php
$config['emailng_settings_url'] = ${php(options.appUrl)};
$config['emailng_settings_issuer'] = ${php(options.issuer)};
$config['emailng_settings_audience'] = ${php(options.audience)};
$config['emailng_settings_algorithm'] = ${php(options.algorithm ?? 'HS256')};
$config['emailng_settings_key'] = ${php(options.key)};
$config['emailng_settings_token_ttl'] = ${options.tokenTtl ?? 30};
`,
  );

  const logFile = path.join(root, 'logs', 'php-server.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', web], { cwd: web, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const logs = async () => {
    const names = await readdir(path.join(root, 'logs')).catch(() => [] as string[]);
    const parts = await Promise.all(names.map(async (n) => `== ${n}\n${await readFile(path.join(root, 'logs', n), 'utf8').catch(() => '')}`));
    return parts.join('\n');
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
      if (res.status === 200) break;
      throw new Error(`HTTP ${res.status}`);
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(`Roundcube did not start on port ${port}: ${(error as Error).message}\n${await logs()}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    url: `${origin}/`,
    origin,
    dir,
    logs,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!process.env.EMAILNG_KEEP_ROUNDCUBE) await rm(dir, { recursive: true, force: true });
    },
  };
}
