/** What goes wrong on the way, and how the page copes: camera denied, a dropped upload, bad links. */
import { cameraLaunchOptions } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { watchPage } from './support/page-watch.js';
import { checkScreen, checkScreenAtBothSizes, VIEWPORTS } from './support/screens.js';
import { openAndConsent } from './support/selfie.js';
import { CALLBACK_ORIGIN, expect, test } from './support/service.js';
import { createKey, removeDataDir, startServer } from '../src/server/test-support/server-process.js';

test.use({ launchOptions: cameraLaunchOptions(videoPath(VIDEOS.selfie640)) });

test('an upload whose answer is lost is retried and stored once', async ({ page, service }) => {
  await page.setViewportSize(VIEWPORTS.phone);
  const session = await service.createSession({
    flow: 'liveness',
    redirectUrl: `${CALLBACK_ORIGIN}/done`,
    state: 's1',
  });
  const watch = await watchPage(page, service.server.url);
  await page.route(`${CALLBACK_ORIGIN}/**`, (route) => route.fulfill({ status: 200, body: 'ok' }));
  let uploads = 0;
  await page.route('**/v1/client/images**', async (route) => {
    uploads += 1;
    if (uploads === 1) {
      // The service receives and stores the picture; the connection drops before the answer arrives.
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    // Slow enough for the retry screen to be looked at.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue();
  });
  await openAndConsent(page, session.hostedUrl);
  await expect(page.getByRole('heading', { name: 'Check your photo' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Use this photo' }).click();
  await expect(page.getByText('The connection dropped. Trying again…')).toBeVisible();
  await checkScreen(page, '12-upload-retrying');
  await page.setViewportSize(VIEWPORTS.desktop);
  await checkScreen(page, '12-upload-retrying');
  await page.waitForURL(`${CALLBACK_ORIGIN}/**`, { timeout: 20_000 });
  expect(new URL(page.url()).searchParams.get('session_id')).toBe(session.sessionId);
  expect(uploads).toBe(2);
  expect(await service.getImages(session.sessionId)).toHaveLength(1);
  expect((await service.getSession(session.sessionId)).status).toBe('completed');
  expect(watch.foreignRequests.filter((url) => !url.startsWith(CALLBACK_ORIGIN))).toEqual([]);
  expect(watch.cspViolations).toEqual([]);
});

test('a link opened twice says it was already used', async ({ page, service }) => {
  const session = await service.createSession({ flow: 'liveness' });
  await page.goto(session.hostedUrl);
  await expect(page.getByRole('heading', { name: 'Verify your identity' })).toBeVisible();
  await page.goto(session.hostedUrl);
  await expect(page.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
  await checkScreenAtBothSizes(page, '13-link-used');
});

test('an expired link says so', async ({ page }) => {
  const server = await startServer({ env: { IDV_CLIENT_TOKEN_TTL_SECONDS: '1' } });
  try {
    const apiKey = await createKey(server.dataDir, { origins: [CALLBACK_ORIGIN] });
    const response = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ flow: 'liveness' }),
    });
    const { hostedUrl } = (await response.json()) as { hostedUrl: string };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await page.goto(hostedUrl);
    await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
    await checkScreenAtBothSizes(page, '14-link-expired');
  } finally {
    await server.kill();
    removeDataDir(server.dataDir);
  }
});

test('without a callback the person is told they are done and may close the page', async ({
  page,
  service,
}) => {
  const session = await service.createSession({ flow: 'liveness' });
  await openAndConsent(page, session.hostedUrl);
  await page.getByRole('button', { name: 'Use this photo' }).click({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('You can close this page')).toBeVisible();
  expect(page.url()).toBe(`${service.server.url}/s/${session.sessionId}`);
  await checkScreenAtBothSizes(page, '05-done');
  expect((await service.getSession(session.sessionId)).status).toBe('completed');
});
