/**
 * Browser side of the document harness (built by e2e/document-harness.ts): exposes the document
 * detector on `window.idvDocument` so Playwright specs and the bench can run it on images and on the
 * fake camera, in its worker, exactly as the document step will.
 */
import type { DocumentAnalysis } from '../src/core/document/pipeline.js';
import { createDocumentDetector } from '../src/vision/document/create-document-detector.js';
import type { DocumentDetector } from '../src/vision/document/interfaces.js';
import { FrameSampler, grabVideoFrame, type SamplerStats } from '../src/vision/frame-sampler.js';
import type { DocumentFrame } from '../src/vision/document/interfaces.js';

export interface DocumentStreamSummary {
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly results: DocumentAnalysis[];
  readonly stats: SamplerStats;
  /** ms from the camera going live to the first result. */
  readonly firstResultMs: number;
  /** Main-thread long tasks (> 50 ms) seen while streaming, with their durations. */
  readonly longTasks: number[];
  /** ms from the result's frame being grabbed to the result on the main thread, per result. */
  readonly roundTripMs: number[];
  /** Of the round trip, ms the main thread took to grab the frame (until the worker was asked). */
  readonly grabMs: number[];
  /** Wall time of the whole stream after the first result, ms. */
  readonly streamMs: number;
}

export interface IdvDocumentHarness {
  load(): Promise<number>;
  /**
   * Analyses an image, as an ImageBitmap of its own size by default; `width` scales it first, and
   * `videoFrame` hands it to the detector as a VideoFrame, as a camera stream does.
   */
  analyzeImage(url: string, options?: { width?: number; videoFrame?: boolean }): Promise<DocumentAnalysis>;
  streamCamera(options: { width: number; height: number; results: number }): Promise<DocumentStreamSummary>;
  dispose(): Promise<void>;
}

let detector: DocumentDetector | undefined;
const documentDetector = (): DocumentDetector => (detector ??= createDocumentDetector());

const harness: IdvDocumentHarness = {
  async load() {
    const start = performance.now();
    await documentDetector().load();
    return performance.now() - start;
  },

  async analyzeImage(url, options = {}) {
    const blob = await (await fetch(url)).blob();
    const bitmap = await createImageBitmap(
      blob,
      options.width ? { resizeWidth: options.width, resizeQuality: 'high' } : {},
    );
    let frame: DocumentFrame = bitmap;
    if (options.videoFrame) {
      frame = new VideoFrame(bitmap, { timestamp: 0 });
      bitmap.close();
    }
    return documentDetector().detect(frame, { steadiness: false });
  },

  async streamCamera({ width, height, results: wanted }) {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    const video = document.getElementById('camera') as HTMLVideoElement;
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { exact: width }, height: { exact: height } },
      audio: false,
    });
    video.srcObject = stream;
    await video.play();
    const live = performance.now();
    const results: DocumentAnalysis[] = [];
    const roundTripMs: number[] = [];
    const grabMs: number[] = [];
    let firstResultMs = -1;
    let firstAt = 0;
    try {
      const stats = await new Promise<SamplerStats>((resolve, reject) => {
        type Timed = { analysis: DocumentAnalysis; started: number; grabbed: number };
        const sampler = new FrameSampler<Timed, DocumentFrame>({
          video,
          analysisWidth: width,
          grab: grabVideoFrame,
          analyse: async (frame, started) => {
            const grabbed = performance.now();
            return { analysis: await documentDetector().detect(frame), started, grabbed };
          },
          onResult: ({ analysis, started, grabbed }, s) => {
            const now = performance.now();
            if (firstResultMs < 0) {
              firstResultMs = now - live;
              firstAt = now;
            }
            roundTripMs.push(now - started);
            grabMs.push(grabbed - started);
            results.push(analysis);
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
        stats,
        firstResultMs,
        longTasks,
        roundTripMs,
        grabMs,
        streamMs: performance.now() - firstAt,
      };
    } finally {
      observer.disconnect();
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    }
  },

  async dispose() {
    detector?.dispose();
    detector = undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));
  },
};

declare global {
  interface Window {
    idvDocument: IdvDocumentHarness;
  }
}

window.idvDocument = harness;
