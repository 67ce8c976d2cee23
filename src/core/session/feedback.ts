/** Machine-readable feedback codes the service returns for each uploaded image. */
export const IMAGE_FEEDBACK_CODES = [
  'too_dark',
  'too_bright',
  'blurry',
  'resolution_too_low',
  'face_not_confirmed',
] as const;
export type ImageFeedbackCode = (typeof IMAGE_FEEDBACK_CODES)[number];

export interface ImageFeedback {
  code: ImageFeedbackCode;
  /** `error` refuses the image; `warning` accepts it but says what could be better. */
  severity: 'error' | 'warning';
  message: string;
}
