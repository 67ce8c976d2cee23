import { describe, expect, it } from 'vitest';
import { followDetection } from './follow-detection.js';
import type { FaceDetection, FaceLandmarks } from './types.js';

/** A ring of landmarks around (cx, cy) with radius r: its centre and spread are known exactly. */
function ring(cx: number, cy: number, r: number): FaceLandmarks {
  const points = Array.from({ length: 12 }, (_, i) => {
    const a = (i / 12) * 2 * Math.PI;
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a), z: 0 };
  });
  return { points, transform: null };
}

const detection: FaceDetection = {
  score: 0.95,
  box: { x: 80, y: 60, width: 40, height: 40 },
  keypoints: [
    { x: 90, y: 75 },
    { x: 110, y: 75 },
  ],
};

describe('followDetection', () => {
  it('leaves the detection as it was when the landmarks did not move', () => {
    const same = ring(100, 80, 20);
    expect(followDetection(detection, same, same)).toEqual(detection);
  });

  it('shifts the box and keypoints with the landmarks', () => {
    const moved = followDetection(detection, ring(100, 80, 20), ring(130, 70, 20));
    expect(moved.box.x).toBeCloseTo(110);
    expect(moved.box.y).toBeCloseTo(50);
    expect(moved.box.width).toBeCloseTo(40);
    expect(moved.keypoints[1]?.x).toBeCloseTo(140);
    expect(moved.keypoints[1]?.y).toBeCloseTo(65);
    expect(moved.score).toBe(0.95);
  });

  it('scales about the landmarks centre when the face comes closer', () => {
    const moved = followDetection(detection, ring(100, 80, 20), ring(100, 80, 30));
    expect(moved.box.width).toBeCloseTo(60);
    expect(moved.box.height).toBeCloseTo(60);
    // The box centre (100, 80) is the landmarks centre, so it stays put while the box grows.
    expect(moved.box.x + moved.box.width / 2).toBeCloseTo(100);
    expect(moved.box.y + moved.box.height / 2).toBeCloseTo(80);
    expect(moved.keypoints[0]?.x).toBeCloseTo(85);
  });

  it('keeps the size when the first landmark set has no extent', () => {
    const point = ring(100, 80, 0);
    const moved = followDetection(detection, point, ring(110, 80, 5));
    expect(moved.box.width).toBe(40);
    expect(moved.box.x).toBeCloseTo(90);
  });
});
