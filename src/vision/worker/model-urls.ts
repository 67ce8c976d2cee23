// Model files derived by models/build.ts, emitted by Vite with content-hashed names from our origin.
import faceDetectorUrl from '../../../models/out/face_detection_short_range.tflite?url';

export const MODEL_URLS = {
  faceDetector: faceDetectorUrl,
  /** Set once models/build.ts produces the landmarker bundle. */
  faceLandmarker: undefined as string | undefined,
} as const;
