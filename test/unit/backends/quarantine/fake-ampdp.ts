/**
 * An in-process AM.PDP server on 127.0.0.1:0, scripted per test: it collects each request
 * (the bytes up to the empty line) and answers with what `respond` returns, written in the
 * given pieces (to test answers split across reads); `null` = say nothing.
 */
import * as net from 'node:net';

export interface FakeAmpdp {
  port: number;
  /** Every request as received (latin1: one char per byte). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeAmpdp(respond: (request: string, socket: net.Socket) => string[] | null): Promise<FakeAmpdp> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('latin1');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const request = buffer.slice(0, end + 4);
      buffer = buffer.slice(end + 4);
      requests.push(request);
      const pieces = respond(request, socket);
      for (const piece of pieces ?? []) socket.write(piece, 'latin1');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
