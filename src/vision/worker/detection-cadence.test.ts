import { describe, expect, it } from 'vitest';
import type { FaceDetection, FaceLandmarks } from '../../core/face/types.js';
import { DetectionCadence } from './detection-cadence.js';

const face: FaceDetection = { score: 0.9, box: { x: 10, y: 10, width: 20, height: 20 }, keypoints: [] };
const landmarks = (shift = 0): FaceLandmarks => ({
  points: [
    { x: 10 + shift, y: 10, z: 0 },
    { x: 30 + shift, y: 30, z: 0 },
  ],
  transform: null,
});

describe('DetectionCadence', () => {
  it('detects every frame until one face has landmarks', () => {
    const cadence = new DetectionCadence(3);
    expect(cadence.mayFollow()).toBe(false);
    cadence.detected([], null);
    expect(cadence.mayFollow()).toBe(false);
    cadence.detected([face, face], landmarks());
    expect(cadence.mayFollow()).toBe(false);
    cadence.detected([face], null);
    expect(cadence.mayFollow()).toBe(false);
  });

  it('follows for detectEvery - 1 frames, then asks for the detector again', () => {
    const cadence = new DetectionCadence(3);
    cadence.detected([face], landmarks());
    expect(cadence.mayFollow()).toBe(true);
    expect(cadence.follow(landmarks(5))?.[0]?.box.x).toBeCloseTo(15);
    expect(cadence.mayFollow()).toBe(true);
    expect(cadence.follow(landmarks(6))?.[0]?.box.x).toBeCloseTo(16);
    expect(cadence.mayFollow()).toBe(false);
    cadence.detected([face], landmarks());
    expect(cadence.mayFollow()).toBe(true);
  });

  it('drops the track as soon as the landmarks are lost', () => {
    const cadence = new DetectionCadence(3);
    cadence.detected([face], landmarks());
    expect(cadence.follow(null)).toBeNull();
    expect(cadence.mayFollow()).toBe(false);
  });

  it('never follows with a cadence of one (the detector on every frame)', () => {
    const cadence = new DetectionCadence(1);
    cadence.detected([face], landmarks());
    expect(cadence.mayFollow()).toBe(false);
  });
});
