/**
 * Serves the vision harness build (e2e/.artifacts/harness) and the shared fixtures over real HTTP,
 * under the hosted page's own Content-Security-Policy, so the vision layer is tested as it will run.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { hostedPagePolicy } from '../../src/server/routes/hosted.js';
import { FIXTURES } from '../../src/server/test-support/images.js';

export const HARNESS_DIR = resolve(import.meta.dirname, '../.artifacts/harness');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.tflite': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
};

function resolveFile(pathname: string): string | undefined {
  const [root, rest] = pathname.startsWith('/fixtures/')
    ? [FIXTURES, pathname.slice('/fixtures/'.length)]
    : [HARNESS_DIR, pathname === '/' ? 'index.html' : pathname.slice(1)];
  const file = normalize(join(root, decodeURIComponent(rest)));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return file;
}

export interface HarnessServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHarnessServer(): Promise<HarnessServer> {
  if (!existsSync(join(HARNESS_DIR, 'index.html'))) {
    throw new Error('The vision harness is not built: run `npm run build:harness` (npm run test:e2e does).');
  }
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const file = resolveFile(url.pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    // `?csp=off` serves the page without the policy, to show what the code alone does (an integrator's
    // page embedding the widget may have no policy at all).
    const policy =
      url.searchParams.get('csp') === 'off' ? {} : { 'content-security-policy': hostedPagePolicy([]) };
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...policy,
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
