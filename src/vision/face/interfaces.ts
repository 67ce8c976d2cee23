import type { FaceDetection, FaceFrameAnalysis, FaceLandmarks } from '../../core/face/types.js';

/** A frame handed to a detector; it is transferred to the worker and unusable afterwards. */
export type FaceFrame = ImageBitmap;

export interface FaceDetectionOutput {
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly faces: readonly FaceDetection[];
  readonly detectMs: number;
}

export interface FaceLandmarksOutput {
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly landmarks: FaceLandmarks | null;
  readonly landmarksMs: number;
}

/** Face detection (BlazeFace short range). `load` is optional: `detect` loads on first use. */
export interface FaceDetector {
  load(signal?: AbortSignal): Promise<void>;
  detect(frame: FaceFrame): Promise<FaceDetectionOutput>;
  dispose(): void;
}

/** 478-point face landmarks of the most prominent face. */
export interface FaceLandmarker {
  load(signal?: AbortSignal): Promise<void>;
  detect(frame: FaceFrame, timestamp?: number): Promise<FaceLandmarksOutput>;
  dispose(): void;
}

/** Detection, landmarks and region statistics of one frame in one worker round trip. */
export interface FaceAnalyzer {
  load(signal?: AbortSignal): Promise<void>;
  analyze(frame: FaceFrame, timestamp: number): Promise<FaceFrameAnalysis>;
  dispose(): void;
}
