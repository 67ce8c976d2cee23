/**
 * Camera permission denied. This browser has a fake camera but no fake permission prompt, so the
 * page's request is answered by the permission state the test sets.
 */
import { findChromium, QUIET_CHROMIUM_ARGS } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { checkScreenAtBothSizes } from './support/screens.js';
import { openAndConsent } from './support/selfie.js';
import { expect, test } from './support/service.js';

test.use({
  launchOptions: {
    executablePath: findChromium(),
    args: [
      ...QUIET_CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${videoPath(VIDEOS.selfie640)}`,
    ],
  },
});

test('denied camera permission shows how to allow it again', async ({ page, service }) => {
  const session = await service.createSession({ flow: 'liveness' });
  await page.context().clearPermissions();
  await openAndConsent(page, session.hostedUrl);
  await expect(page.getByRole('heading', { name: 'Camera access is blocked' })).toBeVisible();
  await expect(page.getByText('allow the camera for this site')).toBeVisible();
  await checkScreenAtBothSizes(page, '11-camera-denied');
  // Allowing it and trying again continues where the person was.
  await page.context().grantPermissions(['camera'], { origin: service.server.url });
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Take a selfie' })).toBeVisible();
});
