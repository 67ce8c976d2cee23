/**
 * The face detector in its worker, in headless Chromium, on the shared fixtures and the fake camera
 * (640×480 here; 1280×720 in face-camera-720p.spec.ts, since a camera file is fixed per browser).
 */
import { cameraLaunchOptions } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { expect, test } from './support/harness.js';

test.use({ launchOptions: cameraLaunchOptions(videoPath(VIDEOS.selfie640)) });

/** Recorded from this build on astronaut.png (512×512): BlazeFace short range, IMAGE mode. */
const ASTRONAUT = {
  box: { x: 177, y: 82, width: 95, height: 95 },
  keypoints: [
    { x: 201.5, y: 104.9 }, // right eye (image left)
    { x: 245.8, y: 109.1 }, // left eye
    { x: 220.4, y: 127.3 }, // nose tip
    { x: 219.8, y: 148.6 }, // mouth centre
    { x: 178.2, y: 115.7 }, // right ear tragion
    { x: 272.2, y: 123.9 }, // left ear tragion
  ],
};
const TOLERANCE_PX = 4;

test('finds the one face on astronaut.png where the reference says', async ({ harness }) => {
  const analysis = await harness.page.evaluate(() =>
    window.idvHarness.analyzeImage('/fixtures/astronaut.png', 'detector'),
  );
  expect(analysis.faces).toHaveLength(1);
  const [face] = analysis.faces;
  expect(face!.score).toBeGreaterThanOrEqual(0.9);
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    expect(Math.abs(face!.box[key] - ASTRONAUT.box[key]), `box.${key}`).toBeLessThanOrEqual(TOLERANCE_PX);
  }
  expect(face!.keypoints).toHaveLength(6);
  face!.keypoints.forEach((point, i) => {
    const ref = ASTRONAUT.keypoints[i]!;
    expect(Math.hypot(point.x - ref.x, point.y - ref.y), `keypoint ${i}`).toBeLessThanOrEqual(TOLERANCE_PX);
  });
});

test('finds no face on chelsea.png (a cat) or coffee.png', async ({ harness }) => {
  for (const name of ['chelsea', 'coffee']) {
    const analysis = await harness.page.evaluate(
      (url) => window.idvHarness.analyzeImage(url, 'detector'),
      `/fixtures/${name}.png`,
    );
    expect(analysis.faces, name).toEqual([]);
  }
});

test('streams results from the fake camera at 640×480 without a third-party request', async ({ harness }) => {
  const summary = await harness.page.evaluate(() =>
    window.idvHarness.streamCamera({ width: 640, height: 480, results: 30, tasks: 'detector' }),
  );
  expect(summary.videoWidth).toBe(640);
  expect(summary.videoHeight).toBe(480);
  expect(summary.results).toHaveLength(30);
  const withFace = summary.results.filter((result) => result.faces.length === 1);
  expect(withFace.length).toBeGreaterThanOrEqual(28);
  // Closing the tasks is when tasks-vision sends its usage log: it must be refused in the worker.
  await harness.page.evaluate(() => window.idvHarness.dispose());
  expect(harness.watch.foreignRequests).toEqual([]);
  expect(harness.watch.cspViolations).toEqual([]);
});

test('the worker refuses the tasks-vision usage log by itself, with no page policy to block it', async ({
  harness,
}) => {
  await harness.page.goto(`${harness.origin}/?csp=off`);
  await harness.page.waitForFunction(() => 'idvHarness' in window);
  const analysis = await harness.page.evaluate(() =>
    window.idvHarness.analyzeImage('/fixtures/astronaut.png', 'detector'),
  );
  expect(analysis.faces).toHaveLength(1);
  // tasks-vision posts its log when a task closes (and every 60 s): dispose closes the tasks.
  await harness.page.evaluate(() => window.idvHarness.dispose());
  expect(harness.watch.foreignRequests).toEqual([]);
});

test('detector and landmarker loaded together in one worker both answer', async ({ harness }) => {
  // The detector answers first; the landmarker joins once created (the results say so meanwhile).
  const analysis = await harness.page.evaluate(async () => {
    for (;;) {
      const result = await window.idvHarness.analyzeImage('/fixtures/astronaut.png', 'both');
      if (!result.landmarksPending) return result;
      if (result.landmarks !== null) throw new Error('landmarks while said to be pending');
    }
  });
  expect(analysis.faces).toHaveLength(1);
  expect(analysis.landmarks?.points).toHaveLength(478);
  expect(analysis.region?.meanLuma).toBeGreaterThan(0);
});

test('while one face is tracked the detector runs on one frame in three, and the carried box stays on the face', async ({
  harness,
}) => {
  const summary = await harness.page.evaluate(() =>
    window.idvHarness.streamCamera({ width: 640, height: 480, results: 60, tasks: 'both' }),
  );
  // Until the landmarker is ready the detector runs on every frame (and no picture could be taken).
  const ready = summary.results.findIndex((result) => !result.landmarksPending);
  expect(ready).toBeGreaterThanOrEqual(0);
  summary.results.slice(0, ready).forEach((result) => {
    expect(result.facesFrom).toBe('detector');
    expect(result.landmarks).toBeNull();
  });
  const results = summary.results.slice(ready);
  expect(results.length).toBeGreaterThanOrEqual(20);
  const detected = results.filter((result) => result.facesFrom === 'detector');
  const carried = results.filter((result) => result.facesFrom === 'landmarks');
  // Two of three frames are carried in steady tracking; never more than two in a row.
  expect(carried.length).toBeGreaterThanOrEqual(results.length / 2);
  expect(detected.length).toBeGreaterThanOrEqual(results.length / 4);
  let run = 0;
  for (const result of results) {
    run = result.facesFrom === 'landmarks' ? run + 1 : 0;
    expect(run).toBeLessThanOrEqual(2);
  }
  for (const result of carried) {
    expect(result.faces).toHaveLength(1);
    expect(result.landmarks?.points).toHaveLength(478);
    expect(result.timings.detectMs).toBe(0);
  }
  // A carried box lies within a few pixels of the detector's box on the frame before or after it. The
  // fake camera plays a still picture, so this shows that carrying adds no drift of its own; how a box
  // follows a face that moves and comes closer is in src/core/face/follow-detection.test.ts.
  results.forEach((result, i) => {
    if (result.facesFrom !== 'landmarks') return;
    const box = result.faces[0]!.box;
    const neighbours = [results[i - 1], results[i + 1]].filter((r) => r?.facesFrom === 'detector');
    for (const neighbour of neighbours) {
      const ref = neighbour!.faces[0]!.box;
      const centreShift = Math.hypot(
        box.x + box.width / 2 - (ref.x + ref.width / 2),
        box.y + box.height / 2 - (ref.y + ref.height / 2),
      );
      expect(centreShift, `frame ${i}: centre`).toBeLessThanOrEqual(0.08 * ref.width);
      expect(Math.abs(box.width / ref.width - 1), `frame ${i}: size`).toBeLessThanOrEqual(0.08);
    }
  });
});
