/** The fake camera plays the cat: the flow must never capture, and must say what to do. */
import { cameraLaunchOptions } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { watchPage } from './support/page-watch.js';
import { checkScreenAtBothSizes } from './support/screens.js';
import { openAndConsent } from './support/selfie.js';
import { expect, test } from './support/service.js';

test.use({ launchOptions: cameraLaunchOptions(videoPath(VIDEOS.cat)) });

test('the cat never captures: no-face guidance, then a shutter is offered, and nothing is uploaded', async ({
  page,
  service,
}) => {
  const session = await service.createSession({ flow: 'liveness' });
  const watch = await watchPage(page, service.server.url);
  await openAndConsent(page, session.hostedUrl);

  const guidance = page.locator('idv-selfie-capture [data-guidance]');
  await expect(guidance).toHaveAttribute('data-guidance', 'no_face', { timeout: 15_000 });
  await expect(guidance).toHaveText('Put your face in the oval');
  await expect(page.locator('idv-selfie-capture [aria-live="polite"]')).toHaveCount(1);
  // Long past the hold time: still no capture, and the manual shutter is offered.
  await expect(page.getByRole('button', { name: 'Take photo' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'Take a selfie' })).toBeVisible();
  await expect(guidance).toHaveAttribute('data-guidance', 'no_face');
  await checkScreenAtBothSizes(page, '10-selfie-no-face');

  expect(await service.getImages(session.sessionId)).toEqual([]);
  expect(watch.foreignRequests).toEqual([]);
  expect(watch.cspViolations).toEqual([]);
});
