/**
 * `idv demo` (what `npm start` runs): the service on a local data directory, a sandbox key kept for the
 * demo, and a verification link printed with its QR code, ready to open.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { createApiKey } from '../server/auth/api-keys.js';
import type { Store } from '../server/store/store.js';
import { demoSite } from './demo-site.js';
import { startServer } from './serve.js';

export const DEMO_USAGE = 'idv demo [--port P] [--data DIR]';

interface DemoState {
  apiKey: string;
  origin: string;
}

/**
 * The demo's sandbox key, kept beside the data (a demo convenience: real keys are shown only once). A new
 * one is made when the demo runs on another origin, since the callback must lie on the key's allow-list.
 */
async function demoKey(
  store: Store,
  dataDir: string,
  origin: string,
): Promise<{ apiKey: string; isNew: boolean }> {
  const file = join(dataDir, 'demo-key.json');
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as DemoState;
    if (state.origin === origin) return { apiKey: state.apiKey, isNew: false };
  }
  const { secret } = await createApiKey(store, {
    environment: 'sandbox',
    scopes: ['sessions:read', 'sessions:write', 'sessions:decide'],
    redirectOrigins: [origin],
  });
  writeFileSync(file, JSON.stringify({ apiKey: secret, origin } satisfies DemoState), { mode: 0o600 });
  return { apiKey: secret, isNew: true };
}

export async function demo(argv: string[]): Promise<void> {
  const args = argv.includes('--data') ? argv : [...argv, '--data', '.data/demo'];
  // A person reads this terminal: only warnings and errors, not a line per request.
  process.env['IDV_LOG_LEVEL'] ??= 'warn';
  // The demo site's routes are registered before the service listens; they learn the key and URL after.
  let siteKey = '';
  let siteUrl = '';
  const site = demoSite({ apiKey: () => siteKey, baseUrl: () => siteUrl });
  const { service, url, dataDir } = await startServer(args, { plugins: [site] });
  const { apiKey, isNew } = await demoKey(service.store, dataDir, new URL(url).origin);
  siteKey = apiKey;
  siteUrl = url;

  // The same reference every time: the demo session is reused while active, with a fresh link.
  const response = await service.app.inject({
    method: 'POST',
    url: '/v1/sessions',
    headers: { authorization: `Bearer ${apiKey}` },
    payload: {
      flow: 'liveness',
      reference: 'demo',
      redirectUrl: `${url}/demo/callback`,
      state: 'demo-state',
      // A session made on another origin would send the person back to that one.
      forceCreation: isNew,
    },
  });
  const session = response.json<{ sessionId: string; hostedUrl: string }>();
  if (response.statusCode >= 300) throw new Error(`could not create the demo session: ${response.body}`);

  console.log(`listening on ${url}`);
  console.log(`API docs: ${url}/docs`);
  console.log(`demo integrator site (creates a fresh session per click): ${url}/demo`);
  console.log(
    `demo session ${session.sessionId}; open this link to verify yourself (valid 20 minutes, once):`,
  );
  console.log(await QRCode.toString(session.hostedUrl, { type: 'terminal', small: true }));
  console.log(session.hostedUrl);
}
