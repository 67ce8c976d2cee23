/**
 * Plain data the on-device face pipeline produces and the quality rules consume. Coordinates are in
 * pixels of the analysed frame unless a name says otherwise; nothing here refers to DOM or workers.
 */
export interface Point2 {
  readonly x: number;
  readonly y: number;
}

export interface Point3 extends Point2 {
  readonly z: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One detected face: score 0…1, box and BlazeFace's six keypoints (eyes, nose tip, mouth, ear tragions). */
export interface FaceDetection {
  readonly score: number;
  readonly box: Box;
  readonly keypoints: readonly Point2[];
}

/** 478 landmarks of one face (MediaPipe face mesh layout with irises), x/y in pixels, z in x's scale. */
export interface FaceLandmarks {
  readonly points: readonly Point3[];
  /** Column-major 4×4 facial transformation matrix (translation in elements 12–14), when provided. */
  readonly transform: readonly number[] | null;
}

/** Brightness and sharpness of the face region, measured on a small grey crop. */
export interface RegionStats {
  /** Mean luma 0…255. */
  readonly meanLuma: number;
  /** Share of pixels at or above 250 (blown highlights), 0…1. */
  readonly clippedHighShare: number;
  /** Variance of a 4-neighbour Laplacian over the crop: higher is sharper. */
  readonly laplacianVariance: number;
}

/** Everything measured on one frame. */
export interface FaceFrameAnalysis {
  readonly frameWidth: number;
  readonly frameHeight: number;
  /** The capture timestamp the caller gave (ms). */
  readonly timestamp: number;
  readonly faces: readonly FaceDetection[];
  /**
   * `detector`: the faces were detected on this frame. `landmarks`: the last detection, carried to this
   * frame by the tracked landmarks (the detector runs on some frames only while one face is tracked).
   */
  readonly facesFrom: 'detector' | 'landmarks';
  /** Landmarks of the most prominent face, or null when not requested or not found. */
  readonly landmarks: FaceLandmarks | null;
  /** True while the landmarker is still loading: landmarks are missing for that reason, not for want of a face. */
  readonly landmarksPending: boolean;
  /** Stats of the first face's region, or null without a face. */
  readonly region: RegionStats | null;
  readonly timings: FaceTimings;
}

export interface FaceTimings {
  readonly detectMs: number;
  readonly landmarksMs: number;
  readonly statsMs: number;
  /** Time in the worker for the whole frame. */
  readonly totalMs: number;
}
