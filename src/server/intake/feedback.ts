/** Server-side quality rules over the service's own measures, with thresholds in one table. */
import type { ImageKind } from '../../core/session/flows.js';
import type { ImageFeedback } from '../../core/session/feedback.js';
import type { ImageMeasures } from './measure.js';

export const INTAKE_THRESHOLDS = {
  /** Mean luma below this: too dark to check. */
  minBrightness: 40,
  /** Mean luma above this: washed out. */
  maxBrightness: 225,
  /** Laplacian variance (at 640 px width) below this: out of focus or moving. */
  minSharpness: 10,
  /** Shortest side in pixels, per kind. */
  minShortSide: { selfie: 360, liveness_frame: 240, document_front: 480, document_back: 480, passport: 480 },
} as const;

export function assessImage(
  kind: ImageKind,
  width: number,
  height: number,
  measures: ImageMeasures,
): ImageFeedback[] {
  const feedback: ImageFeedback[] = [];
  const minSide = INTAKE_THRESHOLDS.minShortSide[kind];
  if (Math.min(width, height) < minSide) {
    feedback.push({
      code: 'resolution_too_low',
      severity: 'error',
      message: `The image is ${width}×${height}; its shorter side needs at least ${minSide} pixels.`,
    });
  }
  if (measures.brightness < INTAKE_THRESHOLDS.minBrightness) {
    feedback.push({
      code: 'too_dark',
      severity: 'error',
      message: 'The picture is too dark. Find more light.',
    });
  } else if (measures.brightness > INTAKE_THRESHOLDS.maxBrightness) {
    feedback.push({
      code: 'too_bright',
      severity: 'error',
      message: 'The picture is too bright. Avoid direct light.',
    });
  }
  if (measures.sharpness < INTAKE_THRESHOLDS.minSharpness) {
    feedback.push({
      code: 'blurry',
      severity: 'error',
      message: 'The picture is blurry. Hold still and try again.',
    });
  }
  return feedback;
}
