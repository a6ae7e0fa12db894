export {
  ManageSieveClient,
  ClientState,
  type ManageSieveEndpoint,
  type ManageSieveConnectOptions,
} from './client';
export type { ManageSieveCapabilities } from './capabilities';
export type { ScriptListEntry, ScriptResult } from './commands';
export { ManageSieveError, type ManageSieveErrorCode } from './errors';
