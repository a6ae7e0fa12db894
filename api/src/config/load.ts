import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config, type SecretRef } from './schema';

/** The configuration with every secret read, as the rest of the API sees it. */
export type AppConfig = Omit<Config, 'masterUser' | 'ldap' | 'session'> & {
  masterUser: Omit<Config['masterUser'], 'password'> & { password: string };
  ldap: Omit<Config['ldap'], 'servicePassword'> & { servicePassword: string };
  session: Omit<Config['session'], 'keys'> & { keys: Uint8Array[] };
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
  };
  if (env.PORT !== undefined) {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`PORT (environment): must be 1..65535, got "${env.PORT}"`);
    else resolved.server = { ...resolved.server, port };
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
