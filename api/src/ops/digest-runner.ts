import { DigestRunner, type DigestRunnerDeps } from '../features/quarantine/digests';
import { mailContextOf } from '../features/quarantine/mail-texts';
import type { Services } from '../services';

/** The digest runner on the app's services; null when the site has no quarantine or sends no mail. */
export function digestRunnerFor(services: Services, overrides: Partial<DigestRunnerDeps> = {}): DigestRunner | null {
  const { config } = services;
  const mail = mailContextOf(config);
  if (!services.quarantine || !services.digests || !services.outbound || !mail || !config.quarantine) return null;
  return new DigestRunner({
    quarantine: services.quarantine,
    digests: services.digests,
    accountOf: (address) => services.directory.findAccountByLogin(address),
    accountByUid: (uid) => services.directory.getAccount(uid),
    outbound: services.outbound,
    mail,
    maxItems: config.quarantine.digests.maxItems,
    defaultLanguage: config.quarantine.digests.defaultLanguage,
    logger: services.logger,
    ...overrides,
  });
}
