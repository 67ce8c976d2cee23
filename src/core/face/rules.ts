/**
 * Face quality rules: pure functions from what the on-device pipeline measured to a guidance code the
 * person can act on. Each rule answers one question; `assessFace` asks them in the order a person
 * should fix things (find the face, frame it, face the camera, then light and steadiness).
 */
import { eyeAspectRatio, MESH, poseFromKeypoints, poseFromLandmarks, type HeadPose } from './pose.js';
import { FACE_GUIDE, FACE_THRESHOLDS, type FaceThresholds } from './thresholds.js';
import type { Box, FaceDetection, FaceFrameAnalysis, RegionStats } from './types.js';

export const FACE_GUIDANCE = [
  'no_face',
  'multiple_faces',
  'move_closer',
  'move_back',
  'center_face',
  'face_straight',
  'eyes_closed',
  'too_dark',
  'too_bright',
  'hold_still',
  'ok',
] as const;
export type FaceGuidance = (typeof FACE_GUIDANCE)[number];

/** A rule's verdict: `null` means it passed (or could not be judged from what was measured). */
type Verdict = FaceGuidance | null;

/** The faces that count: confident enough to be a person in front of the camera. */
export function countedFaces(
  analysis: FaceFrameAnalysis,
  t: FaceThresholds = FACE_THRESHOLDS,
): FaceDetection[] {
  return analysis.faces.filter((face) => face.score >= t.minFaceScore);
}

export function checkPresence(faces: readonly FaceDetection[]): Verdict {
  if (faces.length === 0) return 'no_face';
  if (faces.length > 1) return 'multiple_faces';
  return null;
}

export function checkSize(box: Box, frameHeight: number, t: FaceThresholds = FACE_THRESHOLDS): Verdict {
  const share = box.height / frameHeight;
  if (share < t.minFaceHeight) return 'move_closer';
  if (share > t.maxFaceHeight) return 'move_back';
  return null;
}

export function checkCentring(
  box: Box,
  frameWidth: number,
  frameHeight: number,
  t: FaceThresholds = FACE_THRESHOLDS,
): Verdict {
  const dx = (box.x + box.width / 2) / frameWidth - FACE_GUIDE.centreX;
  const dy = (box.y + box.height / 2) / frameHeight - FACE_GUIDE.centreY;
  return Math.abs(dx) > t.maxCentreOffsetX || Math.abs(dy) > t.maxCentreOffsetY ? 'center_face' : null;
}

export function checkPose(pose: HeadPose | null, t: FaceThresholds = FACE_THRESHOLDS): Verdict {
  if (!pose) return null;
  const pitchOff = pose.pitch !== null && Math.abs(pose.pitch) > t.maxPitch;
  return Math.abs(pose.yaw) > t.maxYaw || Math.abs(pose.roll) > t.maxRoll || pitchOff
    ? 'face_straight'
    : null;
}

/** Both eyes must be open; `null` ratios (no landmarks) cannot be judged and pass. */
export function checkEyes(
  ratios: { left: number; right: number } | null,
  t: FaceThresholds = FACE_THRESHOLDS,
): Verdict {
  if (!ratios) return null;
  return ratios.left < t.minEyeAspectRatio || ratios.right < t.minEyeAspectRatio ? 'eyes_closed' : null;
}

export function checkLighting(region: RegionStats | null, t: FaceThresholds = FACE_THRESHOLDS): Verdict {
  if (!region) return null;
  if (region.meanLuma < t.minFaceLuma) return 'too_dark';
  if (region.meanLuma > t.maxFaceLuma || region.clippedHighShare > t.maxClippedShare) return 'too_bright';
  return null;
}

/**
 * While the landmarker is still loading, eyes and pose cannot yet be judged from the mesh: the person
 * is asked to hold still (which the next step asks anyway) and no picture is taken on the detector alone.
 */
export function checkLandmarksReady(analysis: FaceFrameAnalysis): Verdict {
  return analysis.landmarksPending ? 'hold_still' : null;
}

export function checkSharpness(region: RegionStats | null, t: FaceThresholds = FACE_THRESHOLDS): Verdict {
  if (!region) return null;
  return region.laplacianVariance < t.minSharpness ? 'hold_still' : null;
}

/** A face position in frame fractions, kept per frame for the steadiness rule. */
export interface FaceTrackPoint {
  readonly timestamp: number;
  readonly centreX: number;
  readonly centreY: number;
  readonly height: number;
}

export function trackPoint(analysis: FaceFrameAnalysis, box: Box): FaceTrackPoint {
  return {
    timestamp: analysis.timestamp,
    centreX: (box.x + box.width / 2) / analysis.frameWidth,
    centreY: (box.y + box.height / 2) / analysis.frameHeight,
    height: box.height / analysis.frameHeight,
  };
}

/**
 * Steady when the last `steadyFrames` positions, all within `steadyWindowMs` of the newest, stay within
 * `maxMotion` of each other and the face size within `maxScaleChange`. Too little history is not steady.
 */
export function checkSteadiness(
  track: readonly FaceTrackPoint[],
  t: FaceThresholds = FACE_THRESHOLDS,
): Verdict {
  const newest = track[track.length - 1];
  if (!newest) return 'hold_still';
  const recent = track
    .slice(-t.steadyFrames)
    .filter((p) => newest.timestamp - p.timestamp <= t.steadyWindowMs);
  if (recent.length < t.steadyFrames) return 'hold_still';
  const xs = recent.map((p) => p.centreX);
  const ys = recent.map((p) => p.centreY);
  const hs = recent.map((p) => p.height);
  const spread = (values: number[]): number => Math.max(...values) - Math.min(...values);
  const scale = Math.max(...hs) / Math.min(...hs) - 1;
  return spread(xs) > t.maxMotion || spread(ys) > t.maxMotion || scale > t.maxScaleChange
    ? 'hold_still'
    : null;
}

/** What was measured on one frame, with the guidance derived from it. */
export interface FaceAssessment {
  readonly guidance: FaceGuidance;
  readonly face: FaceDetection | null;
  readonly pose: HeadPose | null;
  readonly eyes: { readonly left: number; readonly right: number } | null;
  readonly track: FaceTrackPoint | null;
}

/**
 * Assesses one frame. `track` holds the positions of earlier frames (oldest first, see `nextTrack`);
 * steadiness is judged over it plus this frame.
 */
export function assessFace(
  analysis: FaceFrameAnalysis,
  track: readonly FaceTrackPoint[],
  t: FaceThresholds = FACE_THRESHOLDS,
): FaceAssessment {
  const faces = countedFaces(analysis, t);
  const presence = checkPresence(faces);
  const face = faces[0];
  if (presence || !face)
    return { guidance: presence ?? 'no_face', face: null, pose: null, eyes: null, track: null };

  const landmarks = analysis.landmarks;
  const pose = landmarks ? poseFromLandmarks(landmarks) : poseFromKeypoints(face);
  const eyes = landmarks
    ? {
        left: eyeAspectRatio(landmarks.points, MESH.eyeImageLeft),
        right: eyeAspectRatio(landmarks.points, MESH.eyeImageRight),
      }
    : null;
  const point = trackPoint(analysis, face.box);
  const guidance =
    checkSize(face.box, analysis.frameHeight, t) ??
    checkCentring(face.box, analysis.frameWidth, analysis.frameHeight, t) ??
    checkPose(pose, t) ??
    checkEyes(eyes, t) ??
    checkLighting(analysis.region, t) ??
    checkSharpness(analysis.region, t) ??
    checkLandmarksReady(analysis) ??
    checkSteadiness([...track, point], t) ??
    'ok';
  return { guidance, face, pose, eyes, track: point };
}

/** The track to keep after a frame: a bounded window; a frame without a usable face resets it. */
export function nextTrack(
  track: readonly FaceTrackPoint[],
  assessment: FaceAssessment,
  t: FaceThresholds = FACE_THRESHOLDS,
): FaceTrackPoint[] {
  if (!assessment.track) return [];
  return [...track, assessment.track].slice(-t.steadyFrames);
}
