import { describe, expect, it } from 'vitest';
import { decodeDetection, readDetectorOutputs } from './decode.js';
import type { DetectorOutputs } from './decode.js';
import { letterbox } from './preprocess.js';

function outputs(presence: number, inside: number[]): DetectorOutputs {
  return {
    presence: [presence],
    inside,
    corners: [0.25, 0.25, 0.75, 0.25, 0.75, 0.75, 0.25, 0.75],
    coarse: [-0.1, 0.2, 1.1, 0.2, 1.1, 0.8, -0.1, 0.8],
  };
}

describe('decodeDetection', () => {
  it('maps soft-argmax corners to source pixels', () => {
    const d = decodeDetection(outputs(0.9, [0.9, 0.9, 0.9, 0.9]), letterbox(640, 480));
    expect(d.present).toBe(true);
    expect(d.corners[0]).toEqual({ x: 160, y: 120 });
    expect(d.corners[2]).toEqual({ x: 480, y: 360 });
    expect(d.inside).toEqual([true, true, true, true]);
  });

  it('uses the regressed corner for a corner judged outside (threshold edge)', () => {
    const lb = letterbox(640, 480);
    const at = decodeDetection(outputs(0.9, [0.5, 0.5, 0.5, 0.5]), lb);
    expect(at.inside[0]).toBe(true);
    const below = decodeDetection(outputs(0.9, [0.4999, 0.9, 0.9, 0.9]), lb);
    expect(below.inside[0]).toBe(false);
    expect(below.corners[0].x).toBeCloseTo(-64, 6);
    expect(below.corners[0].y).toBeCloseTo(96, 6);
  });

  it('marks a corner decoded outside the frame as outside even when scored inside', () => {
    const o = outputs(0.9, [0.9, 0.9, 0.9, 0.9]);
    o.corners = [-0.01, 0.25, 0.75, 0.25, 0.75, 0.75, 0.25, 0.75];
    expect(decodeDetection(o, letterbox(640, 480)).inside[0]).toBe(false);
  });

  it('applies the presence threshold at its edge', () => {
    const lb = letterbox(640, 480);
    expect(decodeDetection(outputs(0.5, [1, 1, 1, 1]), lb).present).toBe(true);
    expect(decodeDetection(outputs(0.4999, [1, 1, 1, 1]), lb).present).toBe(false);
    expect(decodeDetection(outputs(0.7, [1, 1, 1, 1]), lb, { presenceThreshold: 0.8 }).present).toBe(false);
  });

  it('undoes the letterbox of a 16:9 frame', () => {
    const d = decodeDetection(outputs(0.9, [1, 1, 1, 1]), letterbox(1280, 720));
    // y = 0.25 * 120 = 30 input px; content starts at 15 and spans 90 rows for 720 source rows.
    expect(d.corners[0].y).toBeCloseTo(((30 - 15) * 720) / 90, 6);
    expect(d.corners[0].x).toBeCloseTo(320, 6);
  });

  it('refuses outputs of the wrong size', () => {
    expect(() =>
      decodeDetection({ presence: [1], inside: [1], corners: [], coarse: [] }, letterbox(4, 3)),
    ).toThrow(RangeError);
  });
});

describe('readDetectorOutputs', () => {
  const tensor = (values: number[]) => ({ data: new Float32Array(values) });

  it("takes the four outputs by name from a runtime's results", () => {
    const out = readDetectorOutputs({
      presence: tensor([0.7]),
      inside: tensor([1, 1, 0, 1]),
      corners: tensor([0.1, 0.2, 0.9, 0.2, 0.9, 0.8, 0.1, 0.8]),
      coarse: tensor([0, 0, 1, 0, 1, 1, 0, 1]),
      unrelated: tensor([5]),
    });
    expect(out.presence[0]).toBeCloseTo(0.7, 6);
    expect(Array.from(out.inside)).toEqual([1, 1, 0, 1]);
    expect(out.corners).toHaveLength(8);
    expect(Object.keys(out)).toEqual(['presence', 'inside', 'corners', 'coarse']);
  });

  it('names the output a graph lacks', () => {
    expect(() => readDetectorOutputs({ presence: tensor([1]), inside: tensor([1, 1, 1, 1]) })).toThrow(
      /no output "corners"/,
    );
  });
});
