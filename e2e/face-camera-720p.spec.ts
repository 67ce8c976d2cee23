/** The face worker streaming from a 1280×720 fake camera (a camera file is fixed per browser, hence its own file). */
import { cameraLaunchOptions } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { expect, test } from './support/harness.js';

test.use({ launchOptions: cameraLaunchOptions(videoPath(VIDEOS.selfie1280)) });

test('streams results from the fake camera at 1280×720 without a third-party request', async ({
  harness,
}) => {
  const summary = await harness.page.evaluate(() =>
    window.idvHarness.streamCamera({ width: 1280, height: 720, results: 30, tasks: 'detector' }),
  );
  expect(summary.videoWidth).toBe(1280);
  expect(summary.videoHeight).toBe(720);
  expect(summary.results).toHaveLength(30);
  const withFace = summary.results.filter((result) => result.faces.length === 1);
  expect(withFace.length).toBeGreaterThanOrEqual(28);
  // Closing the tasks is when tasks-vision sends its usage log: it must be refused in the worker.
  await harness.page.evaluate(() => window.idvHarness.dispose());
  expect(harness.watch.foreignRequests).toEqual([]);
  expect(harness.watch.cspViolations).toEqual([]);
});
