// Model files derived by models/build.ts, emitted by Vite with content-hashed names from our origin.
import faceDetectorUrl from '../../../models/out/face_detection_short_range.tflite?url';
import faceLandmarkerUrl from '../../../models/out/face_landmarker.task?url';

export const MODEL_URLS = {
  faceDetector: faceDetectorUrl,
  /** The FaceLandmarker bundle (detector, 478-point attention mesh, geometry metadata). */
  faceLandmarker: faceLandmarkerUrl as string | undefined,
} as const;
