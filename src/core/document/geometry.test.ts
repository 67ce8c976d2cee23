import { describe, expect, it } from 'vitest';
import {
  ID1_ASPECT,
  applyHomography,
  cornerInside,
  isConvex,
  meanCornerShift,
  orderCornersClockwise,
  polygonArea,
  quadAspectRatio,
  quadBounds,
  quadDiagonal,
  quadFill,
  type Quad,
  squareToQuad,
} from './geometry.js';
import { rectQuad } from './test-helpers.js';

describe('document geometry', () => {
  it('measures area, fill, diagonal and aspect of a rectangle', () => {
    const q = rectQuad(320, 240, 428, 270);
    expect(polygonArea(q)).toBeCloseTo(428 * 270, 6);
    expect(quadFill(q, 640, 480)).toBeCloseTo((428 * 270) / (640 * 480), 9);
    expect(quadDiagonal(q)).toBeCloseTo(Math.hypot(428, 270), 9);
    expect(quadAspectRatio(q)).toBeCloseTo(428 / 270, 9);
    expect(quadAspectRatio(rectQuad(0, 0, 856, 539.8))).toBeCloseTo(ID1_ASPECT, 9);
  });

  it('counts a corner exactly on the margin as inside and one just beyond as outside', () => {
    expect(cornerInside({ x: 10, y: 10 }, 640, 480, 10)).toBe(true);
    expect(cornerInside({ x: 9.999, y: 10 }, 640, 480, 10)).toBe(false);
    expect(cornerInside({ x: 630, y: 470 }, 640, 480, 10)).toBe(true);
    expect(cornerInside({ x: 630.001, y: 470 }, 640, 480, 10)).toBe(false);
    expect(cornerInside({ x: 640, y: 480 }, 640, 480)).toBe(true);
    expect(cornerInside({ x: -0.001, y: 0 }, 640, 480)).toBe(false);
  });

  it('tells convex from self-intersecting quads', () => {
    const q = rectQuad(0, 0, 10, 5);
    expect(isConvex(q)).toBe(true);
    expect(isConvex([q[0], q[2], q[1], q[3]])).toBe(false);
  });

  it('orders shuffled corners clockwise from the top-left', () => {
    const q = rectQuad(100, 80, 60, 40);
    const ordered = orderCornersClockwise([q[2], q[0], q[3], q[1]]);
    expect(ordered).toEqual([q[0], q[1], q[2], q[3]]);
    expect(() => orderCornersClockwise([q[0], q[1], q[2]])).toThrow(RangeError);
  });

  it('maps the unit square onto a perspective quad', () => {
    const q = [
      { x: 10, y: 20 },
      { x: 200, y: 35 },
      { x: 190, y: 160 },
      { x: 25, y: 140 },
    ] as const;
    const m = squareToQuad(q);
    const corners = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ] as const;
    corners.forEach(([u, v], i) => {
      const p = applyHomography(m, u, v);
      expect(p.x).toBeCloseTo(q[i]!.x, 6);
      expect(p.y).toBeCloseTo(q[i]!.y, 6);
    });
  });

  it('measures the mean corner shift', () => {
    const a = rectQuad(0, 0, 10, 10);
    const b = rectQuad(3, 4, 10, 10);
    expect(meanCornerShift(a, b)).toBeCloseTo(5, 9);
  });

  it('bounds a tilted quad by its extreme corners', () => {
    const tilted: Quad = [
      { x: 10, y: 5 },
      { x: 50, y: 15 },
      { x: 45, y: 40 },
      { x: 5, y: 30 },
    ];
    expect(quadBounds(tilted)).toEqual({ x: 5, y: 5, width: 45, height: 35 });
  });
});
