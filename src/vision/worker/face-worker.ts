/// <reference lib="webworker" />
// Worker entry for the face pipeline. The fetch guard is installed when this module body starts, before
// any task is created (tasks-vision only fetches, and logs, once a task exists).
import { refuseCrossOriginFetch } from './third-party-guard.js';
refuseCrossOriginFetch(self);

import type { FaceDetector, FaceLandmarker } from '@mediapipe/tasks-vision';
import type { FaceDetection, FaceFrameAnalysis, FaceLandmarks } from '../../core/face/types.js';
import {
  createDetector,
  createLandmarker,
  detectFaces,
  detectLandmarks,
  landmarkerBuilt,
  prefetchModels,
  type Delegate,
} from './face-tasks.js';
import { DetectionCadence } from './detection-cadence.js';
import { hasHardwareWebGl2 } from './gpu-probe.js';
import type { FaceTaskSelection, FaceWorkerRequest, FaceWorkerResponse } from './protocol.js';
import { measureFaceRegion } from './region-crop.js';
import { warmWasm } from './wasm-runtime.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let delegate: Delegate = 'CPU';
let detector: Promise<FaceDetector> | undefined;
let landmarker: Promise<FaceLandmarker> | undefined;
let lastVideoTimestamp = -1;
/** Requests run one after another; the main thread never has more than one frame in flight anyway. */
let queue: Promise<void> = Promise.resolve();

function post(message: FaceWorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** The tasks a request can really have: landmarks only where the landmarker bundle was built. */
function available(tasks: FaceTaskSelection): FaceTaskSelection {
  return { detector: tasks.detector, landmarker: tasks.landmarker && landmarkerBuilt };
}

/** The landmarker once its creation has finished; until then frames are analysed without landmarks. */
let readyLandmarker: FaceLandmarker | undefined;
let landmarkerFailed = false;

function startLandmarker(): Promise<FaceLandmarker> {
  const creating = createLandmarker(delegate);
  creating.then(
    (model) => (readyLandmarker = model),
    (error: unknown) => {
      // Results go on from the detector alone, as where the landmarker bundle is not built.
      landmarkerFailed = true;
      console.warn('idv: the face landmarker could not be created', error);
    },
  );
  return creating;
}

/**
 * With the detector, a load ends once the detector is ready, and the landmarker is created only after
 * the first frame's result has gone out (see analyze): its creation and first inference take about as
 * long again as the detector's, and the person gets guidance from the detector meanwhile. Results say
 * `landmarksPending` until then, which keeps the picture from being taken.
 */
async function ensureTasks(tasks: FaceTaskSelection): Promise<void> {
  // Only while a task is still to be made: this runs for every frame.
  if ((tasks.detector && !detector) || (tasks.landmarker && !landmarker)) prefetchModels(tasks);
  if (tasks.detector) detector ??= createDetector(delegate);
  if (tasks.landmarker && !tasks.detector && !landmarkerFailed) landmarker ??= startLandmarker();
  await (tasks.detector ? detector : landmarker);
}

/** Creates the landmarker after the current message is done (the worker has one thread). */
function startLandmarkerAfterThisFrame(): void {
  if (landmarker || landmarkerFailed) return;
  landmarker = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(startLandmarker);
}

/** In steady tracking the detector runs on one frame in three (10 times a second at 30 fps). */
const DETECT_EVERY_FRAMES = 3;
const cadence = new DetectionCadence(DETECT_EVERY_FRAMES);

function runLandmarks(model: FaceLandmarker, bitmap: ImageBitmap, timestamp: number): FaceLandmarks | null {
  // The landmarker's VIDEO mode needs strictly increasing timestamps.
  lastVideoTimestamp = Math.max(lastVideoTimestamp + 1, Math.round(timestamp));
  return detectLandmarks(model, bitmap, lastVideoTimestamp);
}

async function analyze(
  bitmap: ImageBitmap,
  timestamp: number,
  requested: FaceTaskSelection,
): Promise<FaceFrameAnalysis> {
  const start = performance.now();
  const tasks = available(requested);
  try {
    await ensureTasks(tasks);
    const detectorModel = tasks.detector ? await detector : undefined;
    const landmarkerModel = !tasks.landmarker
      ? undefined
      : tasks.detector
        ? readyLandmarker
        : await landmarker;
    const landmarksPending = tasks.landmarker && !landmarkerModel && !landmarkerFailed;
    let detectMs = 0;
    let landmarksMs = 0;
    let landmarks: FaceLandmarks | null = null;
    let faces: FaceDetection[] | null = null;

    const following = Boolean(detectorModel && landmarkerModel && cadence.mayFollow());
    if (following && landmarkerModel) {
      const t = performance.now();
      landmarks = runLandmarks(landmarkerModel, bitmap, timestamp);
      landmarksMs = performance.now() - t;
      faces = cadence.follow(landmarks);
    }
    const facesFrom = faces ? 'landmarks' : 'detector';
    if (!faces) {
      const t0 = performance.now();
      faces = detectorModel ? detectFaces(detectorModel, bitmap) : [];
      const t1 = performance.now();
      detectMs = t1 - t0;
      // Landmarks are looked for only where the detector sees a face, and once a frame at most.
      if (landmarkerModel && !following && (!detectorModel || faces.length > 0)) {
        landmarks = runLandmarks(landmarkerModel, bitmap, timestamp);
        landmarksMs = performance.now() - t1;
      }
      if (detectorModel && landmarkerModel) cadence.detected(faces, landmarks);
    }

    if (tasks.detector && tasks.landmarker) startLandmarkerAfterThisFrame();
    const t2 = performance.now();
    const first = faces[0];
    const region = first ? measureFaceRegion(bitmap, first.box) : null;
    const t3 = performance.now();
    return {
      frameWidth: bitmap.width,
      frameHeight: bitmap.height,
      timestamp,
      faces,
      facesFrom,
      landmarks,
      landmarksPending,
      region,
      timings: { detectMs, landmarksMs, statsMs: t3 - t2, totalMs: t3 - start },
    };
  } finally {
    bitmap.close();
  }
}

async function dispose(): Promise<void> {
  const tasks = await Promise.allSettled([detector, landmarker]);
  detector = undefined;
  landmarker = undefined;
  readyLandmarker = undefined;
  landmarkerFailed = false;
  cadence.reset();
  for (const task of tasks) if (task.status === 'fulfilled') task.value?.close();
}

async function handle(request: FaceWorkerRequest): Promise<void> {
  try {
    switch (request.type) {
      case 'load': {
        const start = performance.now();
        delegate = request.preferGpu && hasHardwareWebGl2() ? 'GPU' : 'CPU';
        warmWasm();
        await ensureTasks(available(request.tasks));
        post({ type: 'loaded', id: request.id, info: { delegate, loadMs: performance.now() - start } });
        return;
      }
      case 'analyze': {
        const analysis = await analyze(request.bitmap, request.timestamp, request.tasks);
        post({ type: 'result', id: request.id, analysis });
        return;
      }
      case 'dispose':
        await dispose();
        post({ type: 'disposed', id: request.id });
        return;
    }
  } catch (error) {
    post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
}

scope.addEventListener('message', (event: MessageEvent<FaceWorkerRequest>) => {
  queue = queue.then(() => handle(event.data));
});
