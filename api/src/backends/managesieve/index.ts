export {
  ManageSieveClient,
  ClientState,
  type ManageSieveEndpoint,
  type ManageSieveConnectOptions,
} from './client';
export type { ManageSieveCapabilities } from './capabilities';
export type { ScriptListEntry, ScriptResult } from './commands';
export { ManageSieveError, isManageSieveConnectionLoss, isManageSieveUnavailable, type ManageSieveErrorCode } from './errors';
