import { describe, expect, it } from 'vitest';
import type { Point, Quad } from './geometry.js';
import { distance, quadDiagonal } from './geometry.js';
import { DEFAULT_EDGE_REFINE } from './edge-refine.js';
import { DEFAULT_SIDE_EXTENSION, extendSidesToNeighbours, refineEdgesAndSides } from './side-extension.js';
import { card, insideQuad, render, sceneFrame as frame } from './test-helpers.js';

const ALL_FOUND = [true, true, true, true] as const;
const DOCUMENT = 200;
const BAND = 40;
const BACKGROUND = 120;

/** `p` moved `d` pixels towards `q`. */
function towards(p: Point, q: Point, d: number): Point {
  const len = distance(p, q);
  return { x: p.x + ((q.x - p.x) / len) * d, y: p.y + ((q.y - p.y) / len) * d };
}

/** The card with its top side moved in by `depthStart` at corner 0 and `depthEnd` at corner 1. */
function topMovedIn(q: Quad, depthStart: number, depthEnd = depthStart): Quad {
  return [towards(q[0], q[3], depthStart), towards(q[1], q[2], depthEnd), q[2], q[3]];
}

/** The band depth that is `share` of the diagonal of the quad it leaves (thresholds are shares of that). */
function depthAtShare(truth: Quad, share: number): number {
  let depth = share * quadDiagonal(truth);
  for (let i = 0; i < 20; i++) depth = share * quadDiagonal(topMovedIn(truth, depth));
  return depth;
}

/**
 * A card with a dark header band along its top side, as deep as the band of `detected`: the detector's
 * commonest gross error is the top side on the band's inner edge.
 */
function bandScene(truth: Quad, detected: Quad, paint?: (x: number, y: number) => number | undefined) {
  return frame(
    render({
      quad: truth,
      paint: (x, y) => {
        const painted = paint?.(x, y);
        if (painted !== undefined) return painted;
        if (!insideQuad(truth, x, y)) return BACKGROUND;
        return insideQuad(detected, x, y) ? DOCUMENT : BAND;
      },
    }),
  );
}

/**
 * Whether the top side, found on the inner edge of a header band `depthStart` deep at corner 0 and
 * `depthEnd` at corner 1, is moved back out.
 */
function movesTopOut(truth: Quad, depthStart: number, depthEnd = depthStart): boolean {
  const detected = topMovedIn(truth, depthStart, depthEnd);
  return extendSidesToNeighbours(bandScene(truth, detected), detected, ALL_FOUND).extended[0];
}

const { minShare, maxShare, maxUnevenness } = DEFAULT_SIDE_EXTENSION;

describe('extendSidesToNeighbours', () => {
  it('moves a side on a header band out to the card border, where its neighbours end', () => {
    const truth = card(0.15);
    const detected = topMovedIn(truth, 0.08 * quadDiagonal(truth));
    const out = extendSidesToNeighbours(bandScene(truth, detected), detected, ALL_FOUND);
    expect(out.extended).toEqual([true, false, false, false]);
    expect(distance(out.corners[0], truth[0])).toBeLessThan(2);
    expect(distance(out.corners[1], truth[1])).toBeLessThan(2);
    expect(out.corners[2]).toEqual(detected[2]);
    expect(out.corners[3]).toEqual(detected[3]);
  });

  it('leaves a side on the border alone: its neighbours stop at its corners', () => {
    const truth = card(-0.2);
    const out = extendSidesToNeighbours(frame(render({ quad: truth })), truth, ALL_FOUND);
    expect(out.extended).toEqual([false, false, false, false]);
    expect(out.corners).toEqual(truth);
  });

  it('moves a side only when its neighbours run on for at least minShare of the diagonal', () => {
    const truth = card(0.05);
    expect(movesTopOut(truth, depthAtShare(truth, minShare) - 3)).toBe(false);
    expect(movesTopOut(truth, depthAtShare(truth, minShare) + 3)).toBe(true);
  });

  it('moves no side whose neighbours run on further than maxShare (a facing page, not a band)', () => {
    const truth = card(0.1);
    expect(movesTopOut(truth, depthAtShare(truth, maxShare) - 4)).toBe(true);
    expect(movesTopOut(truth, depthAtShare(truth, maxShare) + 4)).toBe(false);
  });

  it('moves no side whose neighbours run on to the edge of the frame', () => {
    // The card's top lies 10 px above the frame: its band leaves the frame.
    const truth: Quad = [
      { x: 150, y: -10 },
      { x: 450, y: -10 },
      { x: 450, y: 180 },
      { x: 150, y: 180 },
    ];
    const detected = topMovedIn(truth, 40);
    const out = extendSidesToNeighbours(bandScene(truth, detected), detected, ALL_FOUND);
    expect(out.extended).toEqual([false, false, false, false]);
  });

  it('trusts only neighbours that were found on an edge in the image', () => {
    const truth = card(0.15);
    const detected = topMovedIn(truth, 30);
    const scene = bandScene(truth, detected);
    const out = extendSidesToNeighbours(scene, detected, [true, true, true, false]);
    expect(out.extended).toEqual([false, false, false, false]);
  });

  it('moves no side whose neighbours run on by lengths further apart than maxUnevenness', () => {
    const truth = card(0);
    expect(movesTopOut(truth, 40, 40 * (1 - maxUnevenness) + 6)).toBe(true);
    expect(movesTopOut(truth, 40, 40 * (1 - maxUnevenness) - 6)).toBe(false);
  });

  it('reads no continuation in texture that steps as much beside the line as on it', () => {
    const truth = card(0);
    const [tl, tr] = [truth[0], truth[1]];
    // A patch of stripes 4 px wide above the card, in line with its left and right borders: a step on
    // the borders' lines all the way up the patch, and the same steps 4 px beside them.
    const stripes = (x: number, y: number) =>
      y < tl.y && y >= tl.y - 30 && x > tl.x - 40 && x < tr.x + 40
        ? Math.floor((x - tl.x) / 4) % 2
          ? 60
          : 180
        : undefined;
    const scene = frame(render({ quad: truth, paint: stripes }));
    // The left and right borders as the neighbours of the top (the patch's lower edge is in line with
    // the top, and is another test's matter).
    const found = [false, true, false, true];
    expect(extendSidesToNeighbours(scene, truth, found).extended).toEqual([false, false, false, false]);
    const noIsolation = extendSidesToNeighbours(scene, truth, found, {
      ...DEFAULT_SIDE_EXTENSION,
      isolation: 0,
    });
    expect(noIsolation.extended[0]).toBe(true);
  });

  it('moves a side by one neighbour where the other stops at its corner, unless two are asked for', () => {
    const truth = card(0.1);
    const detected = topMovedIn(truth, 30);
    // Beside the top-right corner the band has the background's colour: the right neighbour stops there.
    const rightEnd = truth[1];
    const scene = bandScene(truth, detected, (x, y) =>
      insideQuad(truth, x, y) && !insideQuad(detected, x, y) && distance({ x, y }, rightEnd) < 60
        ? BACKGROUND
        : undefined,
    );
    const one = extendSidesToNeighbours(scene, detected, ALL_FOUND);
    expect(one.extended).toEqual([true, false, false, false]);
    expect(distance(one.corners[0], truth[0])).toBeLessThan(2);
    const two = extendSidesToNeighbours(scene, detected, ALL_FOUND, {
      ...DEFAULT_SIDE_EXTENSION,
      minNeighbours: 2,
    });
    expect(two.extended).toEqual([false, false, false, false]);
  });
});

describe('refineEdgesAndSides', () => {
  it('puts a side found on a header band on the card border to a fraction of a pixel', () => {
    const truth = card(-0.1);
    const detected = topMovedIn(truth, 35);
    const out = refineEdgesAndSides(
      bandScene(truth, detected),
      detected,
      DEFAULT_EDGE_REFINE,
      DEFAULT_SIDE_EXTENSION,
    );
    out.corners.forEach((p, i) => expect(distance(p, truth[i]!)).toBeLessThan(0.5));
    // Without the sides, the edges keep the band's inner edge.
    const edgesOnly = refineEdgesAndSides(bandScene(truth, detected), detected, DEFAULT_EDGE_REFINE, null);
    expect(distance(edgesOnly.corners[0], truth[0])).toBeGreaterThan(30);
  });

  it('keeps the sides where they were when no edge lies where the neighbours end', () => {
    const truth = card(0);
    // Dark stripes that carry the card's left and right borders 30 px on past its top, with nothing
    // across their ends: a pattern in line with the card, not a band.
    const [tl, tr] = [truth[0], truth[1]];
    const stripes = (x: number, y: number) => {
      if (y >= tl.y || y < tl.y - 30) return undefined;
      return (x >= tl.x - 6 && x < tl.x) || (x > tr.x && x <= tr.x + 6) ? 20 : undefined;
    };
    const scene = frame(render({ quad: truth, paint: stripes }));
    const moved = extendSidesToNeighbours(scene, truth, ALL_FOUND);
    expect(moved.extended[0]).toBe(true);
    const out = refineEdgesAndSides(scene, truth, DEFAULT_EDGE_REFINE, DEFAULT_SIDE_EXTENSION);
    out.corners.forEach((p, i) => expect(distance(p, truth[i]!)).toBeLessThan(0.5));
  });
});
