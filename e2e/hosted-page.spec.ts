/** The hosted page as a person opens it from a link: token handling and policies. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR } from '../src/server/routes/hosted.js';
import { expect, test } from './support/service.js';
import { watchPage } from './support/page-watch.js';
import { checkScreenAtBothSizes } from './support/screens.js';

test('opens from the hosted link, removes the token from the address bar, and stays on its origin', async ({
  page,
  service,
}) => {
  const session = await service.createSession({ flow: 'liveness' });
  const watch = await watchPage(page, service.server.url);
  const response = await page.goto(session.hostedUrl);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("connect-src 'self'");
  expect(policy).toContain("'wasm-unsafe-eval'");
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toMatch(/'unsafe-eval'/);
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');

  await expect(page.getByRole('heading', { name: 'Verify your identity' })).toBeVisible();
  expect(page.url()).toBe(`${service.server.url}/s/${session.sessionId}`);
  // The token lives only in the element's private state: not in the DOM, not in history.
  expect(await page.content()).not.toContain(session.clientToken);
  expect(
    await page.evaluate(() => document.querySelector('idv-verify')?.getAttribute('client-token')),
  ).toBeNull();
  expect(watch.foreignRequests).toEqual([]);
  expect(watch.cspViolations).toEqual([]);
});

test('a link without its token says it is not valid', async ({ page, service }) => {
  const session = await service.createSession({ flow: 'liveness' });
  await page.goto(`${service.server.url}/s/${session.sessionId}`);
  await expect(page.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
});

test('"Not now" at the consent takes no picture, tells the page, and can be undone', async ({
  page,
  service,
}) => {
  const session = await service.createSession({ flow: 'liveness' });
  await page.goto(session.hostedUrl);
  await page.evaluate(() => {
    const w = window as unknown as { cancels: unknown[] };
    w.cancels = [];
    document.addEventListener('idv-cancel', (event) => w.cancels.push((event as CustomEvent).detail));
  });
  await page.getByRole('button', { name: 'Not now' }).click();
  await expect(page.getByRole('heading', { name: 'Verification not started' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cancels: unknown[] }).cancels)).toEqual([
    { sessionId: session.sessionId },
  ]);
  await checkScreenAtBothSizes(page, 'consent-declined');
  // No consent is recorded and the session still waits for its selfie.
  const status = await service.getSession(session.sessionId);
  expect(status.consentAt).toBeNull();
  expect(status.status).toBe('capturing');
  await page.getByRole('button', { name: 'Start again' }).click();
  await expect(page.getByRole('heading', { name: 'Verify your identity' })).toBeVisible();
});

test('serves the wasm and the models from its own origin under hashed names, cached for a year', async ({
  request,
  service,
}) => {
  const assets = readdirSync(join(DIST_DIR, 'assets'));
  for (const stem of ['vision_wasm_module_internal', 'face_detection_short_range', 'face_landmarker']) {
    const name = assets.find((file) => file.startsWith(`${stem}-`));
    expect(name, stem).toMatch(/-[\w-]{8}\.\w+$/);
    const response = await request.get(`${service.server.url}/assets/${name}`);
    expect(response.status(), name).toBe(200);
    expect(response.headers()['cache-control'], name).toBe('public, max-age=31536000, immutable');
  }
});
