/**
 * Browser-test entry: exposes the vision layer on `window.idvHarness` so Playwright specs can run it on
 * fixture images and on the fake camera, exactly as the capture elements will.
 */
import type { FaceFrameAnalysis } from '../../src/core/face/types.js';
import { createFaceVision, type FaceVision } from '../../src/vision/face/create-face-vision.js';
import { FrameSampler, type SamplerStats } from '../../src/vision/frame-sampler.js';

export type TaskChoice = 'detector' | 'landmarker' | 'both';

export interface StreamSummary {
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly results: FaceFrameAnalysis[];
  /** Per result: ms from the frame grab on the main thread to the result arriving back there. */
  readonly latencies: number[];
  /** ms from the first to the last result. */
  readonly durationMs: number;
  readonly stats: SamplerStats;
  /** ms from the camera going live to the first result. */
  readonly firstResultMs: number;
  /** ms from the camera going live to the first result with landmarks (-1: none came). */
  readonly firstLandmarksMs: number;
  /** Main-thread long tasks (> 50 ms) seen while streaming, with their durations. */
  readonly longTasks: number[];
}

export interface IdvHarness {
  analyzeImage(url: string, tasks: TaskChoice): Promise<FaceFrameAnalysis>;
  streamCamera(options: {
    width: number;
    height: number;
    results: number;
    tasks: TaskChoice;
  }): Promise<StreamSummary>;
  dispose(): Promise<void>;
}

let vision: FaceVision | undefined;
const faceVision = (): FaceVision => (vision ??= createFaceVision());

async function analyse(frame: ImageBitmap, timestamp: number, tasks: TaskChoice): Promise<FaceFrameAnalysis> {
  const v = faceVision();
  if (tasks === 'both') return v.analyzer.analyze(frame, timestamp);
  const { width, height } = frame;
  const empty = { detectMs: 0, landmarksMs: 0, statsMs: 0, totalMs: 0 };
  if (tasks === 'detector') {
    const out = await v.detector.detect(frame);
    return {
      frameWidth: width,
      frameHeight: height,
      timestamp,
      faces: out.faces,
      facesFrom: 'detector',
      landmarks: null,
      landmarksPending: false,
      region: null,
      timings: { ...empty, detectMs: out.detectMs, totalMs: out.detectMs },
    };
  }
  const out = await v.landmarker.detect(frame, timestamp);
  return {
    frameWidth: width,
    frameHeight: height,
    timestamp,
    faces: [],
    facesFrom: 'detector',
    landmarks: out.landmarks,
    landmarksPending: false,
    region: null,
    timings: { ...empty, landmarksMs: out.landmarksMs, totalMs: out.landmarksMs },
  };
}

const harness: IdvHarness = {
  async analyzeImage(url, tasks) {
    const blob = await (await fetch(url)).blob();
    return analyse(await createImageBitmap(blob), performance.now(), tasks);
  },

  async streamCamera({ width, height, results: wanted, tasks }) {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const video = document.getElementById('camera') as HTMLVideoElement;
    // As the selfie step does: the models load while the camera opens.
    const loading = tasks === 'both' ? faceVision().analyzer.load() : Promise.resolve();
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { exact: width }, height: { exact: height } },
      audio: false,
    });
    video.srcObject = stream;
    await video.play();
    const live = performance.now();
    await loading;
    const results: FaceFrameAnalysis[] = [];
    const latencies: number[] = [];
    let firstResultMs = -1;
    let firstLandmarksMs = -1;
    let firstAt = 0;
    try {
      const stats = await new Promise<SamplerStats>((resolve, reject) => {
        const sampler = new FrameSampler<FaceFrameAnalysis>({
          video,
          analysisWidth: width,
          analyse: (frame, timestamp) => analyse(frame, timestamp, tasks),
          onResult: (result, s) => {
            const now = performance.now();
            if (firstResultMs < 0) {
              firstResultMs = now - live;
              firstAt = now;
            }
            if (firstLandmarksMs < 0 && result.landmarks) firstLandmarksMs = now - live;
            results.push(result);
            latencies.push(now - result.timestamp);
            if (results.length >= wanted) {
              sampler.stop();
              resolve(s);
            }
          },
          onError: (error) => {
            sampler.stop();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        });
        sampler.start();
      });
      return {
        videoWidth: video.videoWidth,
        videoHeight: video.videoHeight,
        results,
        latencies,
        durationMs: performance.now() - firstAt,
        stats,
        firstResultMs,
        firstLandmarksMs,
        longTasks,
      };
    } finally {
      observer.disconnect();
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    }
  },

  async dispose() {
    vision?.dispose();
    vision = undefined;
    // Give the worker time to close its tasks (which is when tasks-vision would send its usage log).
    await new Promise((resolve) => setTimeout(resolve, 1500));
  },
};

declare global {
  interface Window {
    idvHarness: IdvHarness;
  }
}

window.idvHarness = harness;
