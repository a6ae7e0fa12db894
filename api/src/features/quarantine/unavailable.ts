import { isQuarantineDown } from '../../backends/quarantine';
import { ApiError } from '../../http/errors';

/** The quarantine not answering becomes a 503 the page explains; other errors pass through. */
export function quarantineUnavailable(error: unknown): never {
  if (isQuarantineDown(error)) {
    throw new ApiError('quarantine_unavailable', 'the content filter’s quarantine is not answering; nothing was changed, try again in a few minutes');
  }
  throw error;
}
