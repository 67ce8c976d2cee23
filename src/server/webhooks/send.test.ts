/**
 * The sender against real local HTTP servers: live mode refuses loopback whether named by address or by
 * a name that resolves to it (the guard sits on the socket's own lookup), sandbox sends; redirects are
 * not followed; a huge answer is cut off; a receiver that never answers times out.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, MAX_RESPONSE_BYTES } from './send.js';

let server: Server;
let base: string;
let port: number;
const hits: string[] = [];
/** Bytes of the huge answer the server got to write before the sender dropped the connection. */
let hugeWritten = 0;
const HUGE = 64 * 1024 * 1024;

function writeHuge(response: ServerResponse): void {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  response.writeHead(200);
  const more = () => {
    while (hugeWritten < HUGE && !response.destroyed) {
      hugeWritten += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', more);
    }
    response.end();
  };
  more();
}

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      if (request.url === '/redirect') response.writeHead(302, { location: '/target' }).end();
      else if (request.url === '/huge') writeHuge(response);
      else if (request.url === '/silent')
        return; // never answers
      else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const sender = createSender(4);
afterAll(() => sender.close());
const send = (url: string, environment: 'live' | 'sandbox' = 'sandbox', timeoutMs = 3000) =>
  sender.send({ url, environment, body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs });

describe('createSender', () => {
  it('sends in sandbox and refuses loopback in live, by address and by name, without connecting', async () => {
    expect(await send(`${base}/ok`)).toMatchObject({ outcome: 'succeeded', statusCode: 204 });
    const before = hits.length;
    const byAddress = await send(`${base}/ok`, 'live');
    expect(byAddress).toMatchObject({ outcome: 'refused', statusCode: null });
    expect(byAddress.error).toMatch(/127\.0\.0\.1/);
    const byName = await send(`http://localhost:${port}/ok`, 'live');
    expect(byName).toMatchObject({ outcome: 'refused', statusCode: null });
    expect(hits.length).toBe(before); // nothing reached the server
  });

  it('does not follow a redirect', async () => {
    const result = await send(`${base}/redirect`);
    expect(result).toMatchObject({ outcome: 'failed', statusCode: 302 });
    expect(result.error).toMatch(/redirect/);
    expect(hits).not.toContain('/target');
  });

  it('cuts off a huge answer and still reports its status', async () => {
    const result = await send(`${base}/huge`);
    expect(result).toMatchObject({ outcome: 'succeeded', statusCode: 200 });
    // The server could write only what the socket buffers held before the sender hung up.
    expect(hugeWritten).toBeGreaterThan(MAX_RESPONSE_BYTES);
    expect(hugeWritten).toBeLessThan(HUGE);
  });

  it('gives up on a receiver that never answers', async () => {
    const result = await send(`${base}/silent`, 'sandbox', 300);
    expect(result).toMatchObject({ outcome: 'failed', statusCode: null });
    expect(result.error).toMatch(/timed out/);
  });
});
