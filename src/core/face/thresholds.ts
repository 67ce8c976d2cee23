/**
 * Every number the face quality rules compare against, in one table so they can be tuned together.
 * Sizes and distances are fractions of the analysed frame (so they hold at any camera resolution);
 * angles are degrees; luma is 0…255 on the face crop.
 */
export interface FaceThresholds {
  /** Detector score below which a detection is ignored entirely. */
  readonly minFaceScore: number;
  /** Face box height / frame height: below → move closer, above → move back. */
  readonly minFaceHeight: number;
  readonly maxFaceHeight: number;
  /** Largest distance of the face centre from the guide centre, per axis, as a share of the frame side. */
  readonly maxCentreOffsetX: number;
  readonly maxCentreOffsetY: number;
  /** Head pose limits (absolute degrees). */
  readonly maxYaw: number;
  readonly maxPitch: number;
  readonly maxRoll: number;
  /** Eye aspect ratio below which an eye counts as closed (both must be open). */
  readonly minEyeAspectRatio: number;
  /** Mean luma of the face crop. */
  readonly minFaceLuma: number;
  readonly maxFaceLuma: number;
  /** Share of blown-out pixels in the face crop above which it is too bright. */
  readonly maxClippedShare: number;
  /** Laplacian variance of the face crop below which the face is blurred (motion or focus). */
  readonly minSharpness: number;
  /** Steadiness: how far the face centre (share of frame) and size (ratio) may move over the window. */
  readonly maxMotion: number;
  readonly maxScaleChange: number;
  /** Frames of history the steadiness rule looks at, and how old the oldest may be (ms). */
  readonly steadyFrames: number;
  readonly steadyWindowMs: number;
}

export const FACE_THRESHOLDS: FaceThresholds = {
  minFaceScore: 0.6,
  minFaceHeight: 0.28,
  maxFaceHeight: 0.62,
  maxCentreOffsetX: 0.12,
  maxCentreOffsetY: 0.14,
  maxYaw: 18,
  maxPitch: 20,
  maxRoll: 15,
  minEyeAspectRatio: 0.17,
  minFaceLuma: 55,
  maxFaceLuma: 215,
  maxClippedShare: 0.2,
  minSharpness: 25,
  maxMotion: 0.025,
  maxScaleChange: 0.06,
  steadyFrames: 3,
  steadyWindowMs: 1000,
};

/** Where the oval guide sits in the frame: centre and the box a well-placed face fills (fractions). */
export const FACE_GUIDE = {
  centreX: 0.5,
  centreY: 0.46,
  /** Oval height as a share of the frame height; its width follows from the aspect. */
  height: 0.72,
  aspect: 0.75,
} as const;
