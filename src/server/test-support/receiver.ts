/**
 * A real local webhook receiver for tests: an HTTP server that keeps every request (headers and the raw
 * body, byte for byte) and answers with what `respond` says (200 unless told otherwise).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The request path: tests give each endpoint its own. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** What the receiver answered. */
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Decides the answer to each request; by default 200. */
  respond: (request: { path: string; headers: IncomingHttpHeaders; body: string }) => number;
  /** How long each answer waits (a slow receiver, so deliveries are in flight for a while). */
  delayMs: number;
  close(): Promise<void>;
  /** Resolves once `predicate` holds over what was received (polling), or rejects after `timeoutMs`. */
  until(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** Starts a receiver on `port` (0: any free port). */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      const status = receiver.respond({ path, headers: request.headers, body });
      received.push({ path, headers: request.headers, body, at: Date.now(), status });
      const answer = () =>
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  const receiver: Receiver = {
    url: '',
    port: 0,
    received,
    respond: () => 200,
    delayMs: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    async until(predicate, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > end) throw new Error(`receiver: condition not met; got ${received.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}`;
  return receiver;
}

/** A port that nothing listens on right now (for a receiver that is down, started later on it). */
export async function freePort(): Promise<number> {
  const probe = await startReceiver();
  const { port } = probe;
  await probe.close();
  return port;
}
