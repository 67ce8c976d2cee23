import { describe, expect, it } from 'vitest';
import { largestBlob, measureDocumentRegion } from './stats.js';
import { rectQuad } from './test-helpers.js';

const W = 320;
const H = 240;

function image(fn: (x: number, y: number) => [number, number, number]): Uint8ClampedArray {
  const a = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) a.set([...fn(x, y), 255], (y * W + x) * 4);
  }
  return a;
}

const doc = rectQuad(160, 120, 200, 126);

describe('measureDocumentRegion', () => {
  it('reads a flat grey document as dark-free, glare-free and without detail', () => {
    const s = measureDocumentRegion(
      image(() => [100, 100, 100]),
      W,
      H,
      doc,
    );
    expect(s.meanLuma).toBeCloseTo(100, 3);
    expect(s.sharpness).toBeCloseTo(0, 6);
    expect(s.glareFraction).toBe(0);
    expect(s.largestGlareBlob).toBe(0);
    expect(s.visibleFraction).toBe(1);
  });

  it('finds fine detail sharp and its blurred version soft', () => {
    const sharp = measureDocumentRegion(
      image((x) => (x % 4 < 2 ? [30, 30, 30] : [220, 220, 220])),
      W,
      H,
      doc,
    );
    const soft = measureDocumentRegion(
      image((x) => {
        const v = 125 + 20 * Math.sin((x / 40) * Math.PI);
        return [v, v, v];
      }),
      W,
      H,
      doc,
    );
    expect(sharp.sharpness).toBeGreaterThan(1000);
    expect(soft.sharpness).toBeLessThan(5);
  });

  it('measures a specular patch as one glare blob', () => {
    const s = measureDocumentRegion(
      image((x, y) => (Math.hypot(x - 160, y - 120) < 20 ? [255, 255, 255] : [120, 110, 100])),
      W,
      H,
      doc,
    );
    const share = (Math.PI * 20 * 20) / (200 * 0.92 * 126 * 0.92);
    expect(s.largestGlareBlob).toBeGreaterThan(share * 0.8);
    expect(s.largestGlareBlob).toBeLessThan(share * 1.2);
    expect(s.glareFraction).toBeCloseTo(s.largestGlareBlob, 9);
  });

  it('reports the share of a document outside the frame', () => {
    const s = measureDocumentRegion(
      image(() => [90, 90, 90]),
      W,
      H,
      rectQuad(0, 120, 200, 126),
    );
    expect(s.visibleFraction).toBeGreaterThan(0.4);
    expect(s.visibleFraction).toBeLessThan(0.6);
    const gone = measureDocumentRegion(
      image(() => [90, 90, 90]),
      W,
      H,
      rectQuad(-500, -500, 50, 30),
    );
    expect(gone).toEqual({
      meanLuma: 0,
      sharpness: 0,
      glareFraction: 0,
      largestGlareBlob: 0,
      visibleFraction: 0,
    });
  });
});

describe('largestBlob', () => {
  it('uses 4-connectivity', () => {
    // Two diagonal pixels are separate blobs; an L of three is one.
    const m = new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1]);
    expect(largestBlob(m, 3, 4)).toBe(3);
    expect(largestBlob(new Uint8Array(9), 3, 3)).toBe(0);
  });
});
