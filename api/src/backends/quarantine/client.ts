// Release of a held message through amavisd-new's AM.PDP port.  amavisd checks the
// secret_id and delivers the stored copy to the original recipients (its $release_method);
// it does not record the release in SQL, so the caller marks msgrcpt.rs itself.
import net from 'node:net';
import { QuarantineError } from './errors';
import { encodeRequest, parseAnswer, type AmpdpAnswer, type AmpdpAttributes } from './protocol';

export interface AmpdpEndpoint {
  host: string;
  port: number;
  /** Whole exchange (connect, request, answer); default 15000 ms (a release includes an LMTP delivery). */
  timeoutMs?: number;
}

/** amavisd's mail_id/secret_id: 12 characters of [A-Za-z0-9+_-] by default; longer ones are allowed. */
const ID = /^[A-Za-z0-9+_-]{6,64}$/;
/** A plain address for requested_by / recipient (no angle brackets, line breaks or spaces). */
const ADDRESS = /^[^\s<>@]{1,64}@[^\s<>@]{1,255}$/u;
/** More than any real answer (a few lines per recipient): a runaway peer is cut off. */
const MAX_ANSWER_BYTES = 256 * 1024;

/** Sends one request and resolves with amavisd's answer. */
export function ampdpRequest(endpoint: AmpdpEndpoint, attributes: AmpdpAttributes): Promise<AmpdpAnswer> {
  const request = encodeRequest(attributes);
  const timeoutMs = endpoint.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    let buffer = '';
    let connected = false;
    let settled = false;
    const finish = (error: QuarantineError | null, answer?: AmpdpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer!);
    };
    const timer = setTimeout(() => finish(new QuarantineError('TIMEOUT', `AM.PDP: no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('latin1');
    socket.once('connect', () => {
      connected = true;
      socket.write(request, 'latin1');
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_ANSWER_BYTES) return finish(new QuarantineError('PROTOCOL', 'AM.PDP: answer too long'));
      try {
        const parsed = parseAnswer(buffer);
        if (parsed) finish(null, parsed.answer);
      } catch (cause) {
        finish(new QuarantineError('PROTOCOL', `AM.PDP: ${(cause as Error).message}`, [], { cause }));
      }
    });
    socket.on('error', (cause) => {
      if (connected) finish(new QuarantineError('CLOSED', `AM.PDP: connection failed: ${cause.message}`, [], { cause }));
      else finish(new QuarantineError('CONNECT_FAILED', `AM.PDP: cannot connect to ${endpoint.host}:${endpoint.port}: ${cause.message}`, [], { cause }));
    });
    socket.on('close', () => finish(new QuarantineError('CLOSED', 'AM.PDP: connection closed before the answer ended')));
  });
}

export interface ReleaseRequest {
  /** msgs.mail_id */
  mailId: string;
  /** msgs.secret_id: the release credential; never let it reach a browser. */
  secretId: string;
  /** Who asked (logged by amavisd), e.g. the signed-in user's address. */
  requestedBy: string;
  /** Default: the message's original (blocked) recipients. */
  recipients?: readonly string[];
}

export interface ReleaseResult {
  /** One `setreply` per recipient, decoded, each 2xx (e.g. "250 2.0.0 from MTA(…): 250 2.0.0 <…> … Saved"). */
  replies: readonly string[];
}

/**
 * Releases a message from the SQL quarantine (quar_type Q).  Resolves only when amavisd
 * reports every recipient's delivery as 2xx; otherwise rejects with RELEASE_FAILED and the
 * replies.  A second release of the same message delivers a second copy: callers keep track.
 */
export async function releaseMessage(endpoint: AmpdpEndpoint, request: ReleaseRequest): Promise<ReleaseResult> {
  if (!ID.test(request.mailId)) throw new QuarantineError('BAD_ARGUMENT', 'mail_id is not an amavisd mail id');
  if (!ID.test(request.secretId)) throw new QuarantineError('BAD_ARGUMENT', 'secret_id is not an amavisd secret id');
  for (const address of [request.requestedBy, ...(request.recipients ?? [])]) {
    if (!ADDRESS.test(address)) throw new QuarantineError('BAD_ARGUMENT', 'not a plain e-mail address');
  }
  const attributes: [string, string][] = [
    ['request', 'release'],
    ['mail_id', request.mailId],
    ['secret_id', request.secretId],
    ['quar_type', 'Q'],
    ['requested_by', `<${request.requestedBy}>`],
  ];
  for (const r of request.recipients ?? []) attributes.push(['recipient', `<${r}>`]);

  const answer = await ampdpRequest(endpoint, attributes);
  const replies = answer.get('setreply') ?? [];
  if (replies.length === 0) {
    throw new QuarantineError('PROTOCOL', 'AM.PDP: the answer has no setreply');
  }
  if (!replies.every((r) => /^2\d\d /.test(r))) {
    throw new QuarantineError('RELEASE_FAILED', `release refused: ${replies.find((r) => !/^2\d\d /.test(r))}`, replies);
  }
  return { replies };
}
