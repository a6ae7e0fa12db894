import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEEP_ALIVE_MS } from '../../../api/src/http/keep-alive';
import { REPO_ROOT } from '../../support/stack';

// deploy/nginx/emailng-settings.conf passes `nginx -t` (Debian's nginx, the nginx group of
// deploy/install-packages.sh), with a self-signed certificate made here in a temp dir. No
// nginx daemon is started.

const dir = mkdtempSync(path.join(tmpdir(), 'emailng-nginx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(): string {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=thalia.cs.ucy.ac.cy', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const site = readFileSync(path.join(REPO_ROOT, 'deploy/nginx/emailng-settings.conf'), 'utf8')
    .replace('/etc/ssl/certs/thalia.cs.ucy.ac.cy.pem', cert)
    .replace('/etc/ssl/private/thalia.cs.ucy.ac.cy.key', key);
  writeFileSync(path.join(dir, 'emailng-settings.conf'), site);
  copyFileSync('/etc/nginx/fastcgi_params', path.join(dir, 'fastcgi_params'));
  for (const sub of ['logs', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
  // Debian's nginx.conf loads the enabled modules (brotli_static among them) from modules-enabled;
  // their paths are relative to the real prefix, so the one the example needs is named here.
  const main = `
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  include ${dir}/emailng-settings.conf;
}
`;
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, main);
  return conf;
}

describe('nginx reverse-proxy example', () => {
  it('passes nginx -t', () => {
    expect(existsSync('/usr/sbin/nginx'), 'nginx missing: bash deploy/install-packages.sh nginx').toBe(true);
    const conf = render();
    const out = execFileSync('/usr/sbin/nginx', ['-t', '-c', conf, '-p', dir, '-e', path.join(dir, 'logs/error.log')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  it('proxies the app under /settings/ with the forwarding headers the app trusts, and hides /metrics', () => {
    const site = readFileSync(path.join(REPO_ROOT, 'deploy/nginx/emailng-settings.conf'), 'utf8');
    expect(site).toMatch(/location \/settings\/ \{[^}]*proxy_pass http:\/\/emailng_settings\/;/);
    expect(site).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(site).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    expect(site).toMatch(/location = \/settings\/metrics \{\s*return 404;/);
    expect(site).toMatch(/client_max_body_size 512k;/);
  });

  it('sends the build’s precompressed scripts and styles from disk, with the headers that act on them', () => {
    const site = readFileSync(path.join(REPO_ROOT, 'deploy/nginx/emailng-settings.conf'), 'utf8');
    const assets = /location \/settings\/assets\/ \{([^}]*)\}/.exec(site)?.[1] ?? '';
    for (const line of ['brotli_static on;', 'gzip_static on;', 'gzip_vary on;', 'alias /opt/emailng-settings/dist/web/assets/;', 'X-Content-Type-Options nosniff', 'Cross-Origin-Resource-Policy same-origin', 'immutable', 'Strict-Transport-Security']) {
      expect(assets).toContain(line);
    }
  });

  it('lets idle upstream connections go before the app does (no 502 on a reused connection)', () => {
    const site = readFileSync(path.join(REPO_ROOT, 'deploy/nginx/emailng-settings.conf'), 'utf8');
    const upstream = /upstream emailng_settings \{([^}]*)\}/.exec(site)?.[1] ?? '';
    expect(upstream).toMatch(/keepalive \d+;/);
    const seconds = Number(/keepalive_timeout (\d+)s;/.exec(upstream)?.[1]);
    expect(seconds * 1000).toBeLessThan(KEEP_ALIVE_MS);
  });
});
