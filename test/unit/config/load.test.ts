import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig, validateConfig } from '../../../api/src/config/load';

const local = parse(readFileSync('deploy/config/local.yaml', 'utf8')) as Record<string, unknown>;

function problemsOf(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    validateConfig(raw, 'test.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const productionEnv = {
  EMAILNG_MASTER_PASSWORD: 'x',
  EMAILNG_LDAP_PASSWORD: 'y',
  EMAILNG_SESSION_KEY: Buffer.alloc(32, 7).toString('base64'),
  EMAILNG_SSO_SECRET: Buffer.alloc(32, 9).toString('base64'),
};

describe('configuration', () => {
  it('accepts the local stack example and fills defaults', () => {
    const config = loadConfig('deploy/config/local.yaml', {});
    expect(config.directors.map((d) => d.name)).toEqual(['theano', 'elysso']);
    expect(config.pool).toEqual({ idleSeconds: 60, maxConnections: 2000 });
    expect(config.session.keys[0]).toHaveLength(32);
    expect(config.sieve.spamtestMaxValue).toBe(20);
  });

  it('accepts the production example when its secrets are in the environment', () => {
    const config = loadConfig('deploy/config/production.example.yaml', productionEnv);
    expect(config.directors.map((d) => d.host)).toEqual(['theano.cs.ucy.ac.cy', 'elysso.cs.ucy.ac.cy']);
    expect(config.sso?.key).toHaveLength(32);
    expect(config.mailTransport.tls).toBe('starttls-required');
  });

  it('names each bad key', () => {
    const problems = problemsOf({
      ...local,
      server: { ...(local.server as object), port: 70000, publicOrigin: 'http://x/path' },
      ldap: { ...(local.ldap as object), url: 'http://nope' },
      bogus: 1,
    });
    expect(problems.some((p) => p.startsWith('server.port:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('server.publicOrigin:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ldap.url:'))).toBe(true);
    expect(problems.some((p) => p.includes('"bogus"'))).toBe(true);
  });

  it('refuses a session key that is not 32 bytes of base64', () => {
    const problems = problemsOf({ ...local, session: { keys: ['c2hvcnQ='] } });
    expect(problems).toEqual([expect.stringMatching(/^session\.keys\.0: must be 32 random bytes/)]);
  });

  it('names a missing secret environment variable', () => {
    const problems = problemsOf({ ...local, masterUser: { name: 'm', password: { env: 'NOT_SET_ANYWHERE' } } });
    expect(problems).toEqual(['masterUser.password: environment variable NOT_SET_ANYWHERE is not set']);
  });

  it('moves a loopback public origin with a PORT override, and leaves a real one alone', () => {
    expect(loadConfig('deploy/config/local.yaml', { PORT: '9090' }).server).toMatchObject({ port: 9090, publicOrigin: 'http://127.0.0.1:9090' });
    const production = loadConfig('deploy/config/production.example.yaml', { ...productionEnv, PORT: '9090' });
    expect(production.server.publicOrigin).toBe('https://thalia.cs.ucy.ac.cy');
  });

  it('refuses a bad PORT override and a missing required section', () => {
    expect(problemsOf(local, { PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT \(environment\)/)]);
    const { directors: _d, ...withoutDirectors } = local;
    expect(problemsOf(withoutDirectors)).toEqual([expect.stringMatching(/^directors:/)]);
  });

  it('says when the file is missing or not YAML', () => {
    expect(() => loadConfig('/nonexistent.yaml', {})).toThrow(/cannot read the file/);
    expect(() => validateConfig(undefined, 'empty.yaml', {})).toThrow(ConfigError);
  });
});
