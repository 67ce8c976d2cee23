/**
 * The derived FaceLandmarker bundle (models/out/face_landmarker.task) in the face worker, in headless
 * Chromium: 478 landmarks where the face is, irises inside their eyes with a depth, the facial
 * transformation matrix of a near-frontal head, nothing on pictures without a face, and a stream from
 * the fake camera.
 */
import { poseFromLandmarks } from '../src/core/face/pose.js';
import type { FaceLandmarks, Point3 } from '../src/core/face/types.js';
import { cameraLaunchOptions } from './support/chromium.js';
import { videoPath, VIDEOS } from './support/fake-camera.js';
import { expect, test } from './support/harness.js';

test.use({ launchOptions: cameraLaunchOptions(videoPath(VIDEOS.selfie640)) });

/** Eye contours of the 478-point layout: lower lid corner to corner, then the upper lid back. */
const EYE_IMAGE_LEFT = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
const EYE_IMAGE_RIGHT = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];
/** Iris centre, then four edge points; 468 belongs to the image-left eye. */
const IRIS_IMAGE_LEFT = 468;
const IRIS_IMAGE_RIGHT = 473;

/** BlazeFace on astronaut.png (e2e/face-detector.spec.ts): box and keypoints, in pixels. */
const ASTRONAUT_FACE = {
  box: { x: 177, y: 82, width: 95, height: 95 },
  eyes: [
    { x: 201.5, y: 104.9 },
    { x: 245.8, y: 109.1 },
  ],
  noseTip: { x: 220.4, y: 127.3 },
  mouth: { x: 219.8, y: 148.6 },
};

function insidePolygon(point: Point3, polygon: readonly Point3[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > point.y !== b.y > point.y && point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x) {
      inside = !inside;
    }
  }
  return inside;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Yaw, pitch and roll (degrees) of tasks-vision's facial transformation matrix. Its 16 numbers are
 * column-major (MediaPipe's MatrixData default): the translation sits in elements 12–14.
 */
function matrixPose(m: readonly number[]) {
  const r = (row: number, col: number): number => m[col * 4 + row]!;
  const deg = 180 / Math.PI;
  return {
    yaw: Math.asin(Math.max(-1, Math.min(1, -r(2, 0)))) * deg,
    pitch: Math.atan2(r(2, 1), r(2, 2)) * deg,
    roll: Math.atan2(r(1, 0), r(0, 0)) * deg,
    translation: [m[12]!, m[13]!, m[14]!],
  };
}

test('478 landmarks on astronaut.png: on the face, irises in the eyes, depth, a near-frontal pose', async ({
  harness,
}) => {
  const { analysis, firstMs, frameMs } = await harness.page.evaluate(async () => {
    const started = performance.now();
    const first = await window.idvHarness.analyzeImage('/fixtures/astronaut.png', 'landmarker');
    const firstMs = performance.now() - started;
    const frameMs: number[] = [];
    let analysis = first;
    for (let i = 0; i < 10; i += 1) {
      analysis = await window.idvHarness.analyzeImage('/fixtures/astronaut.png', 'landmarker');
      frameMs.push(analysis.timings.landmarksMs);
    }
    return { analysis, firstMs, frameMs };
  });

  const landmarks = analysis.landmarks as FaceLandmarks;
  expect(landmarks).not.toBeNull();
  const { points } = landmarks;
  expect(points).toHaveLength(478);

  // On the face: inside the detector's box grown by a third (the mesh reaches the forehead and chin),
  // and the mesh's nose tip, eye centres and mouth where BlazeFace puts them.
  const { box } = ASTRONAUT_FACE;
  const margin = box.width / 3;
  for (const p of points) {
    expect(p.x).toBeGreaterThan(box.x - margin);
    expect(p.x).toBeLessThan(box.x + box.width + margin);
    expect(p.y).toBeGreaterThan(box.y - margin);
    expect(p.y).toBeLessThan(box.y + box.height + margin);
  }
  const near = (p: Point3, q: { x: number; y: number }) => Math.hypot(p.x - q.x, p.y - q.y);
  expect(near(points[1]!, ASTRONAUT_FACE.noseTip), 'nose tip').toBeLessThan(8);
  expect(near(points[13]!, ASTRONAUT_FACE.mouth), 'mouth').toBeLessThan(8);

  // Irises: each centre inside its eye contour and close to the contour's middle; the five iris
  // points share one depth, the mean depth of that eye's contour (MediaPipe's refinement).
  const irises = [
    { first: IRIS_IMAGE_LEFT, contour: EYE_IMAGE_LEFT, keypoint: ASTRONAUT_FACE.eyes[0]! },
    { first: IRIS_IMAGE_RIGHT, contour: EYE_IMAGE_RIGHT, keypoint: ASTRONAUT_FACE.eyes[1]! },
  ].map(({ first, contour, keypoint }) => {
    const polygon = contour.map((i) => points[i]!);
    const centre = points[first]!;
    const middle = { x: mean(polygon.map((p) => p.x)), y: mean(polygon.map((p) => p.y)) };
    const eyeWidth = Math.hypot(polygon[0]!.x - polygon[8]!.x, polygon[0]!.y - polygon[8]!.y);
    expect(insidePolygon(centre, polygon), `iris ${first} inside its eye`).toBe(true);
    expect(near(centre, middle), `iris ${first} near the eye's middle`).toBeLessThan(eyeWidth * 0.25);
    expect(near(centre, keypoint), `iris ${first} near BlazeFace's eye`).toBeLessThan(8);
    const irisZ = [0, 1, 2, 3, 4].map((k) => points[first + k]!.z);
    const contourZ = mean(polygon.map((p) => p.z));
    for (const z of irisZ) expect(Math.abs(z - contourZ)).toBeLessThan(0.05);
    return { first, centre, middle, eyeWidth, z: irisZ[0]! };
  });

  // Depth is real: not all zero, and the nose tip is the nearest part of the face.
  const zs = points.map((p) => p.z);
  expect(Math.max(...zs) - Math.min(...zs)).toBeGreaterThan(10);
  expect(points[1]!.z).toBeLessThan(mean(zs));

  // The facial transformation matrix comes out and says near-frontal; so does the mesh itself.
  expect(landmarks.transform).toHaveLength(16);
  const fromMatrix = matrixPose(landmarks.transform!);
  expect(Math.abs(fromMatrix.yaw)).toBeLessThan(10);
  expect(Math.abs(fromMatrix.roll)).toBeLessThan(10);
  expect(Math.abs(fromMatrix.pitch)).toBeLessThan(20);
  expect(fromMatrix.translation[2]).toBeLessThan(0); // in front of the camera
  const fromMesh = poseFromLandmarks(landmarks);
  expect(Math.abs(fromMesh.yaw)).toBeLessThan(10);
  expect(Math.abs(fromMesh.roll)).toBeLessThan(10);

  const sorted = [...frameMs].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  test.info().annotations.push({
    type: 'measured',
    description: JSON.stringify({
      points: points.length,
      irises: irises.map((iris) => ({
        index: iris.first,
        centre: [round(iris.centre.x), round(iris.centre.y)],
        eyeMiddle: [round(iris.middle.x), round(iris.middle.y)],
        eyeWidth: round(iris.eyeWidth),
        z: round(iris.z),
      })),
      zRange: [round(Math.min(...zs)), round(Math.max(...zs))],
      matrixPose: {
        yaw: round(fromMatrix.yaw),
        pitch: round(fromMatrix.pitch),
        roll: round(fromMatrix.roll),
      },
      meshPose: { yaw: round(fromMesh.yaw), pitch: round(fromMesh.pitch ?? NaN), roll: round(fromMesh.roll) },
      firstCallMs: Math.round(firstMs),
      frameMs: { p50: round(sorted[5]!), min: round(sorted[0]!), max: round(sorted.at(-1)!) },
    }),
  });
});

test('no landmarks on chelsea.png (a cat) or coffee.png', async ({ harness }) => {
  for (const name of ['chelsea', 'coffee']) {
    const analysis = await harness.page.evaluate(
      (url) => window.idvHarness.analyzeImage(url, 'landmarker'),
      `/fixtures/${name}.png`,
    );
    expect(analysis.landmarks, name).toBeNull();
  }
});

test('streams 478 landmarks from the fake camera at 640×480 without a third-party request', async ({
  harness,
}) => {
  const summary = await harness.page.evaluate(() =>
    window.idvHarness.streamCamera({ width: 640, height: 480, results: 30, tasks: 'landmarker' }),
  );
  expect(summary.results).toHaveLength(30);
  const withFace = summary.results.filter((result) => result.landmarks?.points.length === 478);
  expect(withFace.length).toBeGreaterThanOrEqual(28);
  for (const result of withFace) expect(result.landmarks!.transform).toHaveLength(16);
  const ms = withFace.map((result) => result.timings.landmarksMs).sort((a, b) => a - b);
  test.info().annotations.push({
    type: 'measured',
    description: JSON.stringify({
      firstResultMs: Math.round(summary.firstResultMs),
      landmarksMs: {
        p50: Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10,
        p95: Math.round(ms[Math.floor(ms.length * 0.95)]! * 10) / 10,
      },
      stats: summary.stats,
      longTasks: summary.longTasks,
    }),
  });
  await harness.page.evaluate(() => window.idvHarness.dispose());
  expect(harness.watch.foreignRequests).toEqual([]);
  expect(harness.watch.cspViolations).toEqual([]);
});
