import { describe, expect, it } from 'vitest';
import { DEFAULT_EDGE_REFINE, refineCornersOnEdges } from './edge-refine.js';
import type { Point, Quad } from './geometry.js';
import { distance, quadDiagonal } from './geometry.js';
import {
  SCENE_HEIGHT as H,
  SCENE_WIDTH as W,
  card,
  insideQuad,
  render,
  sceneFrame as frame,
} from './test-helpers.js';

/** The quad with each corner moved by its own offset (pixels). */
function shifted(q: Quad, offsets: readonly [number, number][]): Quad {
  const p = q.map((c, i) => ({ x: c.x + offsets[i]![0], y: c.y + offsets[i]![1] }));
  return [p[0]!, p[1]!, p[2]!, p[3]!];
}

function worstError(a: Quad, b: Quad): number {
  return Math.max(...a.map((p: Point, i) => distance(p, b[i]!)));
}

/** A detection off by about 2.5 % of the diagonal: the second look's typical error on small documents. */
const NUDGE: [number, number][] = [
  [6, -4],
  [-5, 5],
  [4, 6],
  [-6, -3],
];

describe('refineCornersOnEdges', () => {
  it('moves corners detected 2.5 % off back onto a turned card to a fraction of a pixel', () => {
    const truth = card(0.2);
    const out = refineCornersOnEdges(frame(render({ quad: truth })), shifted(truth, NUDGE));
    expect(out.sidesFound).toEqual([true, true, true, true]);
    expect(worstError(out.corners, truth)).toBeLessThan(0.3);
  });

  it('finds a dark document on a bright background (the other polarity)', () => {
    const truth = card(-0.35, 260);
    const pixels = render({ quad: truth, document: 60, background: 190 });
    const out = refineCornersOnEdges(frame(pixels), shifted(truth, NUDGE));
    expect(worstError(out.corners, truth)).toBeLessThan(0.3);
  });

  it('gives the intersection of the straight sides where the card has rounded corners', () => {
    const truth = card(0.1);
    const radius = 14;
    // Round the corners: the inner point at the corner's rounding centre decides by distance.
    const paint = (x: number, y: number) => {
      if (!insideQuad(truth, x, y)) return 70;
      for (const c of truth) {
        const toCentre = { x: 320 - c.x, y: 240 - c.y };
        const n = Math.hypot(toCentre.x, toCentre.y);
        const centre = {
          x: c.x + (toCentre.x / n) * radius * Math.SQRT2,
          y: c.y + (toCentre.y / n) * radius * Math.SQRT2,
        };
        const nearCorner = Math.hypot(x - c.x, y - c.y) < radius * Math.SQRT2;
        if (nearCorner && Math.hypot(x - centre.x, y - centre.y) > radius) return 70;
      }
      return 200;
    };
    const out = refineCornersOnEdges(frame(render({ quad: truth, paint })), shifted(truth, NUDGE));
    expect(worstError(out.corners, truth)).toBeLessThan(0.5);
  });

  it('keeps to the border when a thumb covers a third of one side and a weaker band runs inside it', () => {
    const truth = card(0.05);
    const top = [truth[0], truth[1]] as const;
    const paint = (x: number, y: number) => {
      // A thumb: a dark disc over the middle of the top side.
      const mid = { x: (top[0].x + top[1].x) / 2, y: (top[0].y + top[1].y) / 2 };
      if (Math.hypot(x - mid.x, y - mid.y) < 45) return 120;
      if (!insideQuad(truth, x, y)) return 70;
      // A header band 12 px inside the top side, half the border's contrast.
      const along = (x - top[0].x) * (top[1].y - top[0].y) - (y - top[0].y) * (top[1].x - top[0].x);
      const depth = -along / distance(top[0], top[1]);
      return depth < 12 ? 135 : 200;
    };
    const out = refineCornersOnEdges(frame(render({ quad: truth, paint })), shifted(truth, NUDGE));
    expect(worstError(out.corners, truth)).toBeLessThan(0.5);
  });

  it('leaves the corners where they were on a frame without edges', () => {
    const truth = card(0.3);
    const pixels = new Uint8Array(W * H * 3).fill(128);
    const out = refineCornersOnEdges(frame(pixels), truth);
    expect(out.sidesFound).toEqual([false, false, false, false]);
    expect(out.corners).toEqual(truth);
  });

  it('takes no line fainter than the minimum contrast, and one just above it', () => {
    const truth = card(0.15);
    const guess = shifted(truth, NUDGE);
    const step = DEFAULT_EDGE_REFINE.minContrast;
    // A step of `levels` between document and background gives about `levels` per pixel at the edge,
    // spread over the pixel it crosses; the search reads it as a mean over the side.
    const faint = refineCornersOnEdges(
      frame(render({ quad: truth, document: 100, background: 100 + step - 2 })),
      guess,
    );
    expect(faint.sidesFound).toEqual([false, false, false, false]);
    const clear = refineCornersOnEdges(
      frame(render({ quad: truth, document: 100, background: 100 + 2 * step })),
      guess,
    );
    expect(clear.sidesFound).toEqual([true, true, true, true]);
    expect(worstError(clear.corners, truth)).toBeLessThan(0.5);
  });

  it('searches a side only where most of it lies in the frame', () => {
    // The card's right side lies beyond the frame's right edge.
    const truth: Quad = [
      { x: 420, y: 150 },
      { x: 660, y: 150 },
      { x: 660, y: 300 },
      { x: 420, y: 300 },
    ];
    const out = refineCornersOnEdges(frame(render({ quad: truth })), shifted(truth, NUDGE));
    expect(out.sidesFound[1]).toBe(false);
    expect(out.sidesFound[3]).toBe(true);
    // The left corners sit where the left side meets the found top and bottom.
    expect(distance(out.corners[0], truth[0])).toBeLessThan(0.3);
    expect(distance(out.corners[3], truth[3])).toBeLessThan(0.3);
  });

  it('never moves a corner by more than twice its search range', () => {
    const truth = card(0);
    const far = shifted(truth, [
      [40, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const out = refineCornersOnEdges(frame(render({ quad: truth })), far);
    const range = Math.min(
      DEFAULT_EDGE_REFINE.maxSearchPx,
      DEFAULT_EDGE_REFINE.searchRange * quadDiagonal(far),
    );
    out.corners.forEach((p, i) => expect(distance(p, far[i]!)).toBeLessThanOrEqual(2 * range + 1e-9));
  });
});
