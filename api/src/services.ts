import type { AppConfig } from './config/load';
import type { Logger } from './logging';
import { Directory } from './backends/ldap/directory';
import { ImapSessions } from './backends/imap/sessions';
import { SieveSessions } from './backends/sieve-sessions';
import { LoginThrottle, MemoryCounterStore } from './auth/rate-limit';
import { SessionCodec } from './auth/session';
import { ScriptStore } from './features/script/store';
import { MemoryUsedTokenStore, SsoVerifier } from './auth/sso';

/** Everything the routes use, built once at start-up and passed to createApp. */
export interface Services {
  config: AppConfig;
  logger: Logger;
  directory: Directory;
  sieve: SieveSessions;
  imap: ImapSessions;
  /** The one owner of each user's Sieve script (DESIGN decision 8). */
  scripts: ScriptStore;
  throttle: LoginThrottle;
  sessions: SessionCodec;
  /** Roundcube single sign-on tokens (refuses all when config.sso is null). */
  sso: SsoVerifier;
}

export function createServices(config: AppConfig, logger: Logger): Services {
  const sieve = new SieveSessions(config);
  return {
    config,
    logger,
    directory: new Directory(config.ldap),
    sieve,
    scripts: new ScriptStore(sieve, config.sieve, logger),
    imap: new ImapSessions(config),
    throttle: new LoginThrottle(new MemoryCounterStore(), config.loginRateLimit),
    sessions: new SessionCodec({
      keys: config.session.keys,
      idleSeconds: config.session.idleMinutes * 60,
      absoluteSeconds: config.session.absoluteHours * 3600,
    }),
    sso: new SsoVerifier(config.sso, new MemoryUsedTokenStore()),
  };
}

export async function closeServices(services: Services): Promise<void> {
  await Promise.allSettled([services.sieve.close(), services.imap.close(), services.directory.close()]);
}
