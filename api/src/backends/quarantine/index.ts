export { ampdpRequest, releaseMessage, type AmpdpEndpoint, type ReleaseRequest, type ReleaseResult } from './client';
export { QuarantineError, isQuarantineDown, type QuarantineErrorCode } from './errors';
export { decodeValue, encodeRequest, encodeValue, parseAnswer, type AmpdpAnswer, type AmpdpAttributes } from './protocol';
