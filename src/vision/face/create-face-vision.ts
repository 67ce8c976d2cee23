import type { FaceAnalyzer, FaceDetector, FaceLandmarker } from './interfaces.js';
import { FaceWorkerClient, type FaceWorkerClientOptions } from './face-worker-client.js';

const DETECTOR_ONLY = { detector: true, landmarker: false } as const;
const LANDMARKER_ONLY = { detector: false, landmarker: true } as const;
const BOTH = { detector: true, landmarker: true } as const;

export interface FaceVision {
  readonly detector: FaceDetector;
  readonly landmarker: FaceLandmarker;
  /** Detector, landmarker and region stats per frame in one round trip. */
  readonly analyzer: FaceAnalyzer;
  /** Ends the worker and everything in it. */
  dispose(): void;
}

/**
 * The face detector, landmarker and combined analyzer over one shared worker (one wasm download and
 * compilation). Nothing starts until the first `load` or `detect`.
 */
export function createFaceVision(options: FaceWorkerClientOptions = {}): FaceVision {
  const client = new FaceWorkerClient(options);
  const dispose = (): void => client.dispose();
  let landmarkClock = 0;
  return {
    detector: {
      load: async (signal) => void (await client.load(DETECTOR_ONLY, signal)),
      detect: async (frame) => {
        const analysis = await client.analyze(frame, performance.now(), DETECTOR_ONLY);
        const { frameWidth, frameHeight, faces } = analysis;
        return { frameWidth, frameHeight, faces, detectMs: analysis.timings.detectMs };
      },
      dispose,
    },
    landmarker: {
      load: async (signal) => void (await client.load(LANDMARKER_ONLY, signal)),
      detect: async (frame, timestamp) => {
        landmarkClock = Math.max(landmarkClock + 1, timestamp ?? performance.now());
        const analysis = await client.analyze(frame, landmarkClock, LANDMARKER_ONLY);
        const { frameWidth, frameHeight, landmarks } = analysis;
        return { frameWidth, frameHeight, landmarks, landmarksMs: analysis.timings.landmarksMs };
      },
      dispose,
    },
    analyzer: {
      load: async (signal) => void (await client.load(BOTH, signal)),
      analyze: (frame, timestamp) => client.analyze(frame, timestamp, BOTH),
      dispose,
    },
    dispose,
  };
}
