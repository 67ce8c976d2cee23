import { describe, expect, it } from 'vitest';
import { measureRegion, rgbaToLuma } from './region-stats.js';

const SIDE = 16;

function grey(fill: (x: number, y: number) => number): Uint8Array {
  const luma = new Uint8Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y += 1) for (let x = 0; x < SIDE; x += 1) luma[y * SIDE + x] = fill(x, y);
  return luma;
}

describe('face region statistics', () => {
  it('converts RGBA to BT.601 luma', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    expect(Array.from(rgbaToLuma(rgba, 4, 1))).toEqual([76, 150, 29, 255]);
  });

  it('measures mean brightness and the share of blown-out pixels', () => {
    const stats = measureRegion(
      grey((x) => (x < 4 ? 255 : 100)),
      SIDE,
      SIDE,
    );
    expect(stats.clippedHighShare).toBeCloseTo(0.25, 6);
    expect(stats.meanLuma).toBeCloseTo(0.25 * 255 + 0.75 * 100, 6);
  });

  it('scores a flat patch as not sharp and a fine checkerboard as very sharp', () => {
    expect(
      measureRegion(
        grey(() => 128),
        SIDE,
        SIDE,
      ).laplacianVariance,
    ).toBe(0);
    const checker = measureRegion(
      grey((x, y) => ((x + y) % 2 === 0 ? 200 : 50)),
      SIDE,
      SIDE,
    );
    expect(checker.laplacianVariance).toBeGreaterThan(100_000);
  });

  it('refuses a region too small to measure', () => {
    expect(() => measureRegion(new Uint8Array(4), 2, 2)).toThrow(/too small/);
  });
});
