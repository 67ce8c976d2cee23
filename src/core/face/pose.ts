import type { FaceDetection, FaceLandmarks, Point2, Point3 } from './types.js';

/** Head pose in degrees: yaw (turning left/right), pitch (nodding), roll (tilting); null where unknown. */
export interface HeadPose {
  readonly yaw: number;
  readonly pitch: number | null;
  readonly roll: number;
}

/** Face mesh indices (MediaPipe 468/478 layout) used for pose and eyes. */
export const MESH = {
  forehead: 10,
  chin: 152,
  cheekImageLeft: 234,
  cheekImageRight: 454,
  eyeOuterImageLeft: 33,
  eyeOuterImageRight: 263,
  /** Six points per eye for the eye aspect ratio: corner, two upper lid, corner, two lower lid. */
  eyeImageLeft: [33, 160, 158, 133, 153, 144],
  eyeImageRight: [362, 385, 387, 263, 373, 380],
} as const;

const DEG = 180 / Math.PI;

function at(points: readonly Point3[], index: number): Point3 {
  const point = points[index];
  if (!point) throw new RangeError(`landmark ${index} missing`);
  return point;
}

/**
 * Pose from the 3-D mesh: roll from the line through the outer eye corners, yaw from the depth
 * difference across the cheeks, pitch from the depth difference between forehead and chin. MediaPipe's
 * z shares x's scale, so the angles come out in true proportion.
 */
export function poseFromLandmarks(landmarks: FaceLandmarks): HeadPose {
  const { points } = landmarks;
  const eyeL = at(points, MESH.eyeOuterImageLeft);
  const eyeR = at(points, MESH.eyeOuterImageRight);
  const cheekL = at(points, MESH.cheekImageLeft);
  const cheekR = at(points, MESH.cheekImageRight);
  const top = at(points, MESH.forehead);
  const bottom = at(points, MESH.chin);
  return {
    roll: Math.atan2(eyeR.y - eyeL.y, eyeR.x - eyeL.x) * DEG,
    yaw: Math.atan2(cheekR.z - cheekL.z, cheekR.x - cheekL.x) * DEG,
    pitch: Math.atan2(top.z - bottom.z, bottom.y - top.y) * DEG,
  };
}

/**
 * A coarser pose from BlazeFace's six keypoints (eyes, nose tip, mouth, ear tragions) for when no
 * landmarks are available: roll from the eyes, yaw from where the nose tip sits between the ears.
 * Pitch cannot be told apart from face shape with these points, so it stays unknown.
 */
export function poseFromKeypoints(detection: FaceDetection): HeadPose | null {
  const [eyeA, eyeB, nose, , earA, earB] = detection.keypoints;
  if (!eyeA || !eyeB || !nose || !earA || !earB) return null;
  const [left, right] = eyeA.x <= eyeB.x ? [eyeA, eyeB] : [eyeB, eyeA];
  const [earLeft, earRight] = earA.x <= earB.x ? [earA, earB] : [earB, earA];
  const span = earRight.x - earLeft.x;
  if (span <= 0) return null;
  // 0 when the nose is midway between the ears, ±1 when it reaches an ear.
  const offset = ((nose.x - earLeft.x) / span) * 2 - 1;
  return {
    roll: Math.atan2(right.y - left.y, right.x - left.x) * DEG,
    yaw: Math.asin(Math.max(-1, Math.min(1, offset))) * DEG,
    pitch: null,
  };
}

function distance(a: Point2, b: Point2): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Eye aspect ratio (Soukupová and Čech): lid opening over eye width, ≈0.3 open, → 0 closed. */
export function eyeAspectRatio(points: readonly Point3[], indices: readonly number[]): number {
  const [p1, p2, p3, p4, p5, p6] = indices.map((index) => at(points, index));
  if (!p1 || !p2 || !p3 || !p4 || !p5 || !p6) throw new RangeError('an eye needs six points');
  const width = distance(p1, p4);
  return width === 0 ? 0 : (distance(p2, p6) + distance(p3, p5)) / (2 * width);
}
