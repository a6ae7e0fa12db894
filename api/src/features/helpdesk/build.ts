import type { Backends } from '../../services';
import type { ForwardingService } from '../forwarding/service';
import type { OverviewService } from '../overview/service';
import type { QuotaService } from '../quota/service';
import type { VacationService } from '../vacation/service';
import { HelpdeskAccess } from './access';
import { DeliveryReader } from './delivery';
import { MessageExplainer } from './explain';
import { HelpdeskService } from './service';

/** The helpdesk's parts, on the features' own services (so its actions keep their rules). */
export function buildHelpdesk(
  backends: Backends,
  features: { overview: OverviewService; vacation: VacationService; forwarding: ForwardingService; quota: QuotaService },
): { access: HelpdeskAccess; service: HelpdeskService } {
  const { config, directory, scripts, imap, activity, logger } = backends;
  const access = new HelpdeskAccess(directory, config.helpdesk);
  const delivery = new DeliveryReader({ ...features, scripts, directory, activity, logger }, config.sieve.scriptName);
  const explainer = new MessageExplainer({ quarantine: backends.quarantine, imap, scripts, logger }, config);
  const service = new HelpdeskService({ access, directory, delivery, explainer, ...features, imap, activity, logger }, config.mail.domain);
  return { access, service };
}
