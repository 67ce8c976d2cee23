import { attachModelMetadata } from './lib/attach-metadata.js';
import { buildImageModelMetadata } from './lib/tflite-metadata.js';

/**
 * BlazeFace short range from `@mediapipe/face_detection`, made acceptable to tasks-vision's
 * FaceDetector: the legacy file has a float32 input and no metadata, and tasks-vision refuses a float
 * input without NormalizationOptions. Anchors and box decoding need no metadata: tasks-vision uses its
 * built-in BlazeFace defaults for a 128×128 input.
 */
export function deriveFaceDetector(legacyModel: Uint8Array): Uint8Array {
  const metadata = buildImageModelMetadata({
    modelName: 'face_detection_short_range',
    description: 'BlazeFace short range (128x128) face detector with TFLite metadata added by idv-capture.',
    version: '1',
    author: 'MediaPipe authors (Google); metadata added by idv-capture',
    license: 'Apache-2.0',
    input: {
      name: 'image',
      description: 'RGB image, 128x128, normalised to [-1, 1].',
      width: 128,
      height: 128,
      mean: [127.5],
      std: [127.5],
      min: [-1],
      max: [1],
    },
  });
  return attachModelMetadata(legacyModel, metadata);
}
