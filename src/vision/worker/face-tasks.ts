import { FaceDetector, FaceLandmarker } from '@mediapipe/tasks-vision';
import type { FaceDetection, FaceLandmarks } from '../../core/face/types.js';
import { MODEL_URLS } from './model-urls.js';
import { prepareWasmForNextTask, wasmFileset } from './wasm-runtime.js';

export type Delegate = 'CPU' | 'GPU';

/** False until models/build.ts ships the landmarker bundle: the pipeline then runs on the detector alone. */
export const landmarkerBuilt = MODEL_URLS.faceLandmarker !== undefined;

/** Minimum detector score for a face to count at all; the quality rules apply their own bar. */
const MIN_DETECTION_CONFIDENCE = 0.5;

/**
 * Model files are fetched when loading starts, all at once and beside the wasm download, rather than
 * one after another inside each task's creation (which first waits for the wasm and the task before).
 */
const modelBytes = new Map<string, Promise<Uint8Array>>();

function fetchModel(url: string): Promise<Uint8Array> {
  let bytes = modelBytes.get(url);
  if (!bytes) {
    bytes = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`model ${url}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    // A failed fetch is not kept: the next load tries again.
    bytes.catch(() => modelBytes.delete(url));
    modelBytes.set(url, bytes);
  }
  return bytes;
}

/** Starts the downloads of the models these tasks need (see fetchModel). */
export function prefetchModels(tasks: { detector: boolean; landmarker: boolean }): void {
  const urls = [tasks.detector && MODEL_URLS.faceDetector, tasks.landmarker && MODEL_URLS.faceLandmarker];
  for (const url of urls) if (url) void fetchModel(url).catch(() => undefined);
}

/**
 * Task creation runs one at a time: tasks-vision reads the `ModuleFactory`/`Module` globals that
 * prepareWasmForNextTask sets at some point after an await, so two creations in flight together can
 * end up on one wasm instance, whose single graph then serves neither (the detector silently finds
 * no faces once the landmarker is made beside it).
 */
let creation: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(create: () => Promise<T>): Promise<T> {
  const next = creation.then(create, create);
  creation = next.catch(() => undefined);
  return next;
}

export function createDetector(delegate: Delegate): Promise<FaceDetector> {
  return oneAtATime(() => makeDetector(delegate));
}

export function createLandmarker(delegate: Delegate): Promise<FaceLandmarker> {
  return oneAtATime(() => makeLandmarker(delegate));
}

async function makeDetector(delegate: Delegate): Promise<FaceDetector> {
  const model = await fetchModel(MODEL_URLS.faceDetector);
  await prepareWasmForNextTask();
  return FaceDetector.createFromOptions(wasmFileset(), {
    baseOptions: { modelAssetBuffer: model, delegate },
    runningMode: 'IMAGE',
    minDetectionConfidence: MIN_DETECTION_CONFIDENCE,
  });
}

async function makeLandmarker(delegate: Delegate): Promise<FaceLandmarker> {
  const url = MODEL_URLS.faceLandmarker;
  if (!url) throw new Error('the face landmarker bundle is not built');
  const model = await fetchModel(url);
  await prepareWasmForNextTask();
  return FaceLandmarker.createFromOptions(wasmFileset(), {
    baseOptions: { modelAssetBuffer: model, delegate },
    // VIDEO mode tracks the face from the previous frame's landmarks and skips detection while it can.
    runningMode: 'VIDEO',
    numFaces: 1,
    outputFacialTransformationMatrixes: true,
    outputFaceBlendshapes: false,
  });
}

export function detectFaces(detector: FaceDetector, bitmap: ImageBitmap): FaceDetection[] {
  const { width, height } = bitmap;
  return detector.detect(bitmap).detections.map((detection) => {
    const box = detection.boundingBox;
    return {
      score: detection.categories[0]?.score ?? 0,
      box: box
        ? { x: box.originX, y: box.originY, width: box.width, height: box.height }
        : { x: 0, y: 0, width: 0, height: 0 },
      keypoints: detection.keypoints.map((point) => ({ x: point.x * width, y: point.y * height })),
    };
  });
}

/** Landmarks of the first face, converted to pixels (z shares x's scale, as MediaPipe defines it). */
export function detectLandmarks(
  landmarker: FaceLandmarker,
  bitmap: ImageBitmap,
  timestamp: number,
): FaceLandmarks | null {
  const result = landmarker.detectForVideo(bitmap, timestamp);
  const face = result.faceLandmarks[0];
  if (!face) return null;
  const { width, height } = bitmap;
  const matrix = result.facialTransformationMatrixes[0];
  return {
    points: face.map((point) => ({ x: point.x * width, y: point.y * height, z: point.z * width })),
    transform: matrix ? Array.from(matrix.data) : null,
  };
}
