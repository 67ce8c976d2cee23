import { describe, expect, it } from 'vitest';
import { eyeAspectRatio, MESH, poseFromKeypoints, poseFromLandmarks } from './pose.js';
import {
  assessFace,
  checkCentring,
  checkEyes,
  checkLighting,
  checkPose,
  checkPresence,
  checkSharpness,
  checkSize,
  checkSteadiness,
  nextTrack,
  type FaceTrackPoint,
} from './rules.js';
import { FACE_GUIDE, FACE_THRESHOLDS as T } from './thresholds.js';
import type { Box, FaceDetection, FaceFrameAnalysis, FaceLandmarks, Point3, RegionStats } from './types.js';

const W = 640;
const H = 480;
const EPS = 1e-6;
const RAD = Math.PI / 180;

/** A face box of `share` of the frame height, centred at (cx, cy) in frame fractions. */
function box(share = 0.45, cx: number = FACE_GUIDE.centreX, cy: number = FACE_GUIDE.centreY): Box {
  const side = share * H;
  return { x: cx * W - side / 2, y: cy * H - side / 2, width: side, height: side };
}

function detection(b: Box = box(), score = 0.95): FaceDetection {
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const u = b.width / 4;
  return {
    score,
    box: b,
    keypoints: [
      { x: cx - u, y: cy - u },
      { x: cx + u, y: cy - u },
      { x: cx, y: cy },
      { x: cx, y: cy + u },
      { x: cx - 2 * u, y: cy - u / 2 },
      { x: cx + 2 * u, y: cy - u / 2 },
    ],
  };
}

/** 478 points with the pose and eye opening chosen exactly at the indices the rules read. */
function landmarks(pose: { yaw?: number; pitch?: number; roll?: number } = {}, ear = 0.3): FaceLandmarks {
  const points: Point3[] = Array.from({ length: 478 }, () => ({ x: 320, y: 220, z: 0 }));
  const set = (index: number, point: Point3): void => void (points[index] = point);
  const half = 80;
  const yaw = (pose.yaw ?? 0) * RAD;
  const pitch = (pose.pitch ?? 0) * RAD;
  const roll = (pose.roll ?? 0) * RAD;
  set(MESH.cheekImageLeft, { x: 320 - half * Math.cos(yaw), y: 220, z: -half * Math.sin(yaw) });
  set(MESH.cheekImageRight, { x: 320 + half * Math.cos(yaw), y: 220, z: half * Math.sin(yaw) });
  set(MESH.forehead, { x: 320, y: 220 - half * Math.cos(pitch), z: half * Math.sin(pitch) });
  set(MESH.chin, { x: 320, y: 220 + half * Math.cos(pitch), z: -half * Math.sin(pitch) });
  // Eyes: 40 px wide, lids ±ear·20 px, both rotated by roll about the point between them.
  const r = (dx: number, dy: number): Point3 => ({
    x: 320 + dx * Math.cos(roll) - dy * Math.sin(roll),
    y: 200 + dx * Math.sin(roll) + dy * Math.cos(roll),
    z: 0,
  });
  const eye = (indices: readonly number[], cx: number): void => {
    const [c1, u1, u2, c2, l2, l1] = indices as [number, number, number, number, number, number];
    set(c1, r(cx - 20, 0));
    set(u1, r(cx - 7, -ear * 20));
    set(u2, r(cx + 7, -ear * 20));
    set(c2, r(cx + 20, 0));
    set(l2, r(cx + 7, ear * 20));
    set(l1, r(cx - 7, ear * 20));
  };
  eye(MESH.eyeImageLeft, -40);
  eye(MESH.eyeImageRight, 40);
  return { points, transform: null };
}

const goodRegion: RegionStats = { meanLuma: 130, clippedHighShare: 0.01, laplacianVariance: 120 };

function analysis(overrides: Partial<FaceFrameAnalysis> = {}): FaceFrameAnalysis {
  return {
    frameWidth: W,
    frameHeight: H,
    timestamp: 1000,
    faces: [detection()],
    facesFrom: 'detector',
    landmarks: landmarks(),
    landmarksPending: false,
    region: goodRegion,
    timings: { detectMs: 1, landmarksMs: 1, statsMs: 1, totalMs: 3 },
    ...overrides,
  };
}

function steadyTrack(timestamp = 1000): FaceTrackPoint[] {
  const b = box();
  return [1, 2, 3].map((i) => ({
    timestamp: timestamp - i * 33,
    centreX: (b.x + b.width / 2) / W,
    centreY: (b.y + b.height / 2) / H,
    height: b.height / H,
  }));
}

describe('presence', () => {
  it('needs exactly one face', () => {
    expect(checkPresence([])).toBe('no_face');
    expect(checkPresence([detection()])).toBeNull();
    expect(checkPresence([detection(), detection(box(0.3, 0.2, 0.5))])).toBe('multiple_faces');
  });

  it('ignores detections below the score bar, counting those at it', () => {
    const weakSecond = analysis({ faces: [detection(), detection(box(0.3, 0.2), T.minFaceScore - EPS)] });
    expect(assessFace(weakSecond, steadyTrack()).guidance).toBe('ok');
    const atBar = analysis({ faces: [detection(), detection(box(0.3, 0.2), T.minFaceScore)] });
    expect(assessFace(atBar, steadyTrack()).guidance).toBe('multiple_faces');
    expect(assessFace(analysis({ faces: [] }), []).guidance).toBe('no_face');
  });
});

describe('size', () => {
  it('asks to move closer below the minimum and back above the maximum, passing at both edges', () => {
    expect(checkSize(box(T.minFaceHeight - EPS), H)).toBe('move_closer');
    expect(checkSize(box(T.minFaceHeight), H)).toBeNull();
    expect(checkSize(box(T.maxFaceHeight), H)).toBeNull();
    expect(checkSize(box(T.maxFaceHeight + EPS), H)).toBe('move_back');
  });
});

describe('centring', () => {
  it('allows the configured offset on each axis and no more', () => {
    const x = FACE_GUIDE.centreX;
    const y = FACE_GUIDE.centreY;
    expect(checkCentring(box(0.45, x + T.maxCentreOffsetX - EPS, y), W, H)).toBeNull();
    expect(checkCentring(box(0.45, x + T.maxCentreOffsetX + EPS, y), W, H)).toBe('center_face');
    expect(checkCentring(box(0.45, x - T.maxCentreOffsetX - EPS, y), W, H)).toBe('center_face');
    expect(checkCentring(box(0.45, x, y + T.maxCentreOffsetY - EPS), W, H)).toBeNull();
    expect(checkCentring(box(0.45, x, y - T.maxCentreOffsetY - EPS), W, H)).toBe('center_face');
  });
});

describe('pose', () => {
  it('reads yaw, pitch and roll back from synthetic landmarks', () => {
    const pose = poseFromLandmarks(landmarks({ yaw: 12, pitch: -9, roll: 7 }));
    expect(pose.yaw).toBeCloseTo(12, 6);
    expect(pose.pitch).toBeCloseTo(-9, 6);
    expect(pose.roll).toBeCloseTo(7, 6);
  });

  it('accepts each angle up to its limit, in both directions', () => {
    for (const [axis, limit] of [
      ['yaw', T.maxYaw],
      ['pitch', T.maxPitch],
      ['roll', T.maxRoll],
    ] as const) {
      for (const sign of [1, -1]) {
        const inside = poseFromLandmarks(landmarks({ [axis]: sign * (limit - 0.01) }));
        const outside = poseFromLandmarks(landmarks({ [axis]: sign * (limit + 0.01) }));
        expect(checkPose(inside), `${axis} ${sign * limit}`).toBeNull();
        expect(checkPose(outside), `${axis} beyond ${sign * limit}`).toBe('face_straight');
      }
    }
  });

  it('estimates roll and yaw from keypoints alone, leaving pitch unknown', () => {
    const frontal = poseFromKeypoints(detection());
    expect(frontal?.yaw).toBeCloseTo(0, 6);
    expect(frontal?.roll).toBeCloseTo(0, 6);
    expect(frontal?.pitch).toBeNull();
    const d = detection();
    const turned = { ...d, keypoints: d.keypoints.map((p, i) => (i === 2 ? { x: p.x + 40, y: p.y } : p)) };
    expect(checkPose(poseFromKeypoints(turned))).toBe('face_straight');
    expect(checkPose(null)).toBeNull();
  });
});

describe('eyes', () => {
  it('measures the eye aspect ratio and needs both eyes open', () => {
    expect(eyeAspectRatio(landmarks({}, 0.3).points, MESH.eyeImageLeft)).toBeCloseTo(0.3, 6);
    const at = (ear: number): ReturnType<typeof checkEyes> => {
      const points = landmarks({}, ear).points;
      return checkEyes({
        left: eyeAspectRatio(points, MESH.eyeImageLeft),
        right: eyeAspectRatio(points, MESH.eyeImageRight),
      });
    };
    expect(at(T.minEyeAspectRatio + 0.001)).toBeNull();
    expect(at(T.minEyeAspectRatio - 0.001)).toBe('eyes_closed');
    expect(checkEyes({ left: 0.3, right: T.minEyeAspectRatio - EPS })).toBe('eyes_closed');
    expect(checkEyes(null)).toBeNull();
  });
});

describe('lighting and sharpness', () => {
  it('flags a dark face below the minimum luma and a bright one above the maximum or when clipped', () => {
    const region = (patch: Partial<RegionStats>): RegionStats => ({ ...goodRegion, ...patch });
    expect(checkLighting(region({ meanLuma: T.minFaceLuma }))).toBeNull();
    expect(checkLighting(region({ meanLuma: T.minFaceLuma - EPS }))).toBe('too_dark');
    expect(checkLighting(region({ meanLuma: T.maxFaceLuma }))).toBeNull();
    expect(checkLighting(region({ meanLuma: T.maxFaceLuma + EPS }))).toBe('too_bright');
    expect(checkLighting(region({ clippedHighShare: T.maxClippedShare }))).toBeNull();
    expect(checkLighting(region({ clippedHighShare: T.maxClippedShare + EPS }))).toBe('too_bright');
    expect(checkLighting(null)).toBeNull();
  });

  it('asks to hold still when the face crop is blurred', () => {
    expect(checkSharpness({ ...goodRegion, laplacianVariance: T.minSharpness })).toBeNull();
    expect(checkSharpness({ ...goodRegion, laplacianVariance: T.minSharpness - EPS })).toBe('hold_still');
  });
});

describe('steadiness', () => {
  const point = (timestamp: number, dx = 0, scale = 1): FaceTrackPoint => ({
    timestamp,
    centreX: 0.5 + dx,
    centreY: 0.46,
    height: 0.45 * scale,
  });

  it('needs enough recent frames', () => {
    expect(checkSteadiness([])).toBe('hold_still');
    const few = Array.from({ length: T.steadyFrames - 1 }, (_, i) => point(i * 33));
    expect(checkSteadiness(few)).toBe('hold_still');
    const enough = Array.from({ length: T.steadyFrames }, (_, i) => point(i * 33));
    expect(checkSteadiness(enough)).toBeNull();
    const stale = Array.from({ length: T.steadyFrames }, (_, i) => point(i * T.steadyWindowMs * 0.6));
    expect(checkSteadiness(stale)).toBe('hold_still');
  });

  it('allows movement and scale change up to the limits', () => {
    const moving = (dx: number): FaceTrackPoint[] =>
      Array.from({ length: T.steadyFrames }, (_, i) => point(i * 33, i === 0 ? dx : 0));
    expect(checkSteadiness(moving(T.maxMotion - EPS))).toBeNull();
    expect(checkSteadiness(moving(T.maxMotion + EPS))).toBe('hold_still');
    const zooming = (scale: number): FaceTrackPoint[] =>
      Array.from({ length: T.steadyFrames }, (_, i) => point(i * 33, 0, i === 0 ? scale : 1));
    expect(checkSteadiness(zooming(1 + T.maxScaleChange - 1e-3))).toBeNull();
    expect(checkSteadiness(zooming(1 + T.maxScaleChange + 1e-3))).toBe('hold_still');
  });
});

describe('assessFace', () => {
  it('says ok for a steady, well-placed, frontal, open-eyed, well-lit face', () => {
    const result = assessFace(analysis(), steadyTrack());
    expect(result.guidance).toBe('ok');
    expect(result.pose?.yaw).toBeCloseTo(0, 6);
    expect(result.eyes?.left).toBeCloseTo(0.3, 6);
  });

  it('reports the first problem in the order a person should fix them', () => {
    const farAndDark = analysis({
      faces: [detection(box(0.2))],
      region: { ...goodRegion, meanLuma: 10 },
    });
    expect(assessFace(farAndDark, steadyTrack()).guidance).toBe('move_closer');
    const turnedAndDark = analysis({
      landmarks: landmarks({ yaw: 40 }),
      region: { ...goodRegion, meanLuma: 10 },
    });
    expect(assessFace(turnedAndDark, steadyTrack()).guidance).toBe('face_straight');
    expect(assessFace(analysis({ landmarks: landmarks({}, 0.05) }), steadyTrack()).guidance).toBe(
      'eyes_closed',
    );
    expect(assessFace(analysis(), []).guidance).toBe('hold_still');
  });

  it('works from the detector alone when no landmarks are available', () => {
    expect(assessFace(analysis({ landmarks: null }), steadyTrack()).guidance).toBe('ok');
  });

  it('holds back ok while the landmarker is still loading, but still guides the framing', () => {
    const pending = { landmarks: null, landmarksPending: true };
    expect(assessFace(analysis(pending), steadyTrack()).guidance).toBe('hold_still');
    expect(assessFace(analysis({ ...pending, faces: [] }), steadyTrack()).guidance).toBe('no_face');
    expect(assessFace(analysis({ ...pending, faces: [detection(box(0.2))] }), steadyTrack()).guidance).toBe(
      'move_closer',
    );
  });

  it('keeps a bounded track that a lost face resets', () => {
    let track: FaceTrackPoint[] = [];
    for (let i = 0; i < 10; i += 1)
      track = nextTrack(track, assessFace(analysis({ timestamp: i * 33 }), track));
    expect(track).toHaveLength(T.steadyFrames);
    expect(nextTrack(track, assessFace(analysis({ faces: [] }), track))).toEqual([]);
  });
});
