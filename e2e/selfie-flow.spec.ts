/**
 * The selfie flow end to end, as a person walks it: hosted link → consent → guided selfie captured
 * automatically (no shutter click) → review → upload → callback with session_id and state.
 * Chromium's fake camera plays the astronaut framed as a selfie.
 */
import type { Page } from '@playwright/test';
import { cameraLaunchOptions } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { watchPage } from './support/page-watch.js';
import { checkScreen, saveScreen, VIEWPORTS } from './support/screens.js';
import { CALLBACK_ORIGIN, expect, test } from './support/service.js';

test.use({ launchOptions: cameraLaunchOptions(videoPath(VIDEOS.selfie640)) });

/** The integrator's callback page, answered here so the browser can land on it without a real site. */
async function serveCallback(page: Page): Promise<void> {
  await page.route(`${CALLBACK_ORIGIN}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>callback</title><h1>Back at the shop</h1>',
    }),
  );
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`completes with an automatic capture and lands on the callback with session_id and state (${name})`, async ({
    page,
    service,
  }) => {
    await page.setViewportSize(viewport);
    const state = 'order-42 & co/ä?=';
    const session = await service.createSession({
      flow: 'liveness',
      redirectUrl: `${CALLBACK_ORIGIN}/verified?from=idv`,
      state,
    });
    const watch = await watchPage(page, service.server.url);
    await serveCallback(page);

    await page.goto(session.hostedUrl);
    await expect(page.getByRole('heading', { name: 'Verify your identity' })).toBeVisible();
    expect(page.url()).toBe(`${service.server.url}/s/${session.sessionId}`);
    await checkScreen(page, '01-consent');
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect(page.getByRole('heading', { name: 'Take a selfie' })).toBeVisible();
    await expect(page.locator('idv-selfie-capture [data-guidance]')).not.toHaveAttribute(
      'data-guidance',
      '',
      {
        timeout: 15_000,
      },
    );
    await saveScreen(page, '02-selfie-guidance');

    // No click on a shutter: the review appears because the picture was taken automatically.
    await expect(page.getByRole('heading', { name: 'Check your photo' })).toBeVisible({ timeout: 20_000 });
    await checkScreen(page, '03-review');
    await page.getByRole('button', { name: 'Use this photo' }).click();

    await page.waitForURL(`${CALLBACK_ORIGIN}/**`, { timeout: 20_000 });
    const landed = new URL(page.url());
    expect(landed.pathname).toBe('/verified');
    expect(landed.searchParams.get('from')).toBe('idv');
    expect(landed.searchParams.get('session_id')).toBe(session.sessionId);
    expect(landed.searchParams.get('state')).toBe(state);
    await saveScreen(page, '04-callback');

    const final = await service.getSession(session.sessionId);
    expect(final.status).toBe('completed');
    expect(final.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'image_quality', status: 'passed' })]),
    );
    expect(watch.foreignRequests.filter((url) => !url.startsWith(CALLBACK_ORIGIN))).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
}
