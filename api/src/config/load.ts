import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config, type SecretRef } from './schema';

/** The configuration with every secret read, as the rest of the API sees it. */
export type AppConfig = Omit<Config, 'masterUser' | 'ldap' | 'session' | 'sso' | 'redis' | 'quarantine'> & {
  masterUser: Omit<Config['masterUser'], 'password'> & { password: string };
  ldap: Omit<Config['ldap'], 'servicePassword'> & { servicePassword: string };
  session: Omit<Config['session'], 'keys'> & { keys: Uint8Array[] };
  /** HS256: the shared secret's bytes; EdDSA: the Ed25519 public key. */
  sso: (Omit<NonNullable<Config['sso']>, 'key'> & { key: Uint8Array | KeyObject }) | null;
  redis: (Omit<NonNullable<Config['redis']>, 'password'> & { password?: string }) | null;
  quarantine:
    | (Omit<NonNullable<Config['quarantine']>, 'password' | 'housekeeping'> & {
        password: string;
        housekeeping: { databaseUrl: string; password: string } | null;
      })
    | null;
};

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return `${key}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return `${key}: ${issue.message}`;
}

function resolveSecret(ref: SecretRef, key: string, env: NodeJS.ProcessEnv, problems: string[]): string {
  if (typeof ref === 'string') return ref;
  if ('env' in ref) {
    const value = env[ref.env];
    if (!value) problems.push(`${key}: environment variable ${ref.env} is not set`);
    return value ?? '';
  }
  try {
    return readFileSync(ref.file, 'utf8').trim();
  } catch {
    problems.push(`${key}: cannot read secret file ${ref.file}`);
    return '';
  }
}

function decodeSessionKey(text: string, key: string, problems: string[]): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    problems.push(`${key}: must be 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return new Uint8Array(bytes);
}

function decodeSsoKey(text: string, algorithm: 'HS256' | 'EdDSA', problems: string[]): Uint8Array | KeyObject {
  if (algorithm === 'HS256') {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < 32 || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
      problems.push('sso.key: for HS256, at least 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
    }
    return new Uint8Array(bytes);
  }
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType === 'ed25519') return key;
  } catch {
    // reported below
  }
  problems.push('sso.key: for EdDSA, an Ed25519 public key in PEM ("-----BEGIN PUBLIC KEY-----")');
  return new Uint8Array();
}

/**
 * When the public origin is this very listener on loopback (development), a PORT override
 * moves it too; otherwise the browser's Origin would no longer match and every save would be
 * refused as cross-site. A real public origin (behind a proxy) is left alone.
 */
function followPort(publicOrigin: string, configuredPort: number, port: number): string {
  const url = new URL(publicOrigin);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!loopback || Number(url.port || (url.protocol === 'https:' ? 443 : 80)) !== configuredPort) return publicOrigin;
  url.port = String(port);
  return url.origin;
}

/** Validates raw (already parsed) configuration data; throws ConfigError naming each bad key. */
export function validateConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, parsed.error.issues.map(describeIssue));
  const config = parsed.data;
  const problems: string[] = [];
  const resolved: AppConfig = {
    ...config,
    masterUser: { ...config.masterUser, password: resolveSecret(config.masterUser.password, 'masterUser.password', env, problems) },
    ldap: { ...config.ldap, servicePassword: resolveSecret(config.ldap.servicePassword, 'ldap.servicePassword', env, problems) },
    session: {
      ...config.session,
      keys: config.session.keys.map((ref, i) =>
        decodeSessionKey(resolveSecret(ref, `session.keys.${i}`, env, problems), `session.keys.${i}`, problems),
      ),
    },
    redis: config.redis && {
      ...config.redis,
      password: config.redis.password === undefined ? undefined : resolveSecret(config.redis.password, 'redis.password', env, problems),
    },
    quarantine: config.quarantine && {
      ...config.quarantine,
      password: resolveSecret(config.quarantine.password, 'quarantine.password', env, problems),
      housekeeping: config.quarantine.housekeeping && {
        ...config.quarantine.housekeeping,
        password: resolveSecret(config.quarantine.housekeeping.password, 'quarantine.housekeeping.password', env, problems),
      },
    },
    sso: config.sso && {
      ...config.sso,
      key: decodeSsoKey(resolveSecret(config.sso.key, 'sso.key', env, problems), config.sso.algorithm, problems),
    },
  };
  if (env.PORT !== undefined) {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`PORT (environment): must be 1..65535, got "${env.PORT}"`);
    else resolved.server = { ...resolved.server, port, publicOrigin: followPort(resolved.server.publicOrigin, resolved.server.port, port) };
  }
  if (problems.length) throw new ConfigError(file, problems);
  return resolved;
}

/** Reads the YAML config file (CONFIG, default deploy/config/local.yaml) and validates it. */
export function loadConfig(file = process.env.CONFIG ?? 'deploy/config/local.yaml', env: NodeJS.ProcessEnv = process.env): AppConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(file, [`cannot read the file (set CONFIG to the path of your config)`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  return validateConfig(raw, file, env);
}
