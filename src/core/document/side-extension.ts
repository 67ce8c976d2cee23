/**
 * Moving a side out to where its neighbours end. A common gross error of the detector on large
 * documents is one side placed on the inner edge of a printed band (a coloured header strip along the
 * top of a card as read, 4–12 % of the diagonal deep) while the other three sides lie on the border.
 * The edges (edge-refine.ts) cannot reach the border from there: it is further than their search range,
 * and a wider search locks onto printed bands and shadows everywhere else.
 *
 * The neighbouring sides say where the document ends, though: a card's left and right borders run on
 * straight past the band's inner edge, along the band, and stop at the card's corners. A side whose
 * neighbours continue past its corners and stop within a band's depth is moved out to where they stop,
 * and the edges then place it on the border (a rounded corner ends its neighbours' straight edges a few
 * pixels short of it). A side on the border has neighbours that stop at its corners, since the background
 * lies beyond; a neighbour that runs on much further (a passport's facing page, a desk's edge in line
 * with the card) or out of the frame moves nothing; and the move stands only where the edges find a side
 * at its new place.
 */

import type { EdgeRefineSettings, EdgeRefinement, Frame } from './edge-refine.js';
import { lumaAt, refineCornersOnEdges } from './edge-refine.js';
import type { Point, Quad } from './geometry.js';
import { intersectLines, quadDiagonal } from './geometry.js';

export interface SideExtensionSettings {
  /** Furthest a side may move out, as a share of the document diagonal (a band's depth, not a page's). */
  readonly maxShare: number;
  /** Shortest continuation of a neighbour that moves a side, as a share of the diagonal. */
  readonly minShare: number;
  /** Luma step (levels) across a neighbour's line, 2 pixels either side, for its edge to continue. */
  readonly minStep: number;
  /** How many times the step on the lines 4 pixels beside a neighbour's its own step must be. */
  readonly isolation: number;
  /** Pixels of a neighbour's continuation that may read no edge (noise, print touching it). */
  readonly maxGapPx: number;
  /**
   * Neighbours that must continue: 1 also moves a side where one neighbour stops at its corner (the
   * band's colour there is the background's, or something covers it), by the other's length.
   */
  readonly minNeighbours: 1 | 2;
  /** Where both continue: the largest difference of their lengths, as a share of the longer one. */
  readonly maxUnevenness: number;
}

/**
 * Chosen on renderer A's calibration seed 5 (2,000 frames at 640 × 480): every setting from half to
 * twice these moved the large documents' mean by under 0.02 points except a reach of 0.25 (p95 3.59 →
 * 4.03 %); one neighbour beat two (mean 0.946 → 0.935 %). See models/document/README.md.
 */
export const DEFAULT_SIDE_EXTENSION: Readonly<SideExtensionSettings> = {
  maxShare: 0.15,
  minShare: 0.02,
  minStep: 12,
  isolation: 2,
  maxGapPx: 3,
  minNeighbours: 1,
  maxUnevenness: 0.5,
};

export interface SideExtension {
  readonly corners: Quad;
  /** Which sides (corner i to corner i + 1) were moved out. */
  readonly extended: readonly [boolean, boolean, boolean, boolean];
}

/** Distance of the samples either side of a line whose step is read (pixels). */
const ACROSS_PX = 2;
/** Distance of the lines beside a neighbour's line that its edge must stand out from (pixels). */
const ISOLATION_OFFSET_PX = 4;

/**
 * Luma step across the line through `p` (shifted `offset` pixels sideways) with direction `u` (unit),
 * averaged over three points 1 pixel apart along it. NaN where a sample falls outside the frame.
 */
function stepAcross(f: Frame, p: Point, u: Point, offset = 0): number {
  const n = { x: -u.y, y: u.x };
  let sum = 0;
  for (const a of [-1, 0, 1]) {
    const x = p.x + u.x * a + n.x * offset;
    const y = p.y + u.y * a + n.y * offset;
    sum +=
      lumaAt(f, x + n.x * ACROSS_PX, y + n.y * ACROSS_PX) -
      lumaAt(f, x - n.x * ACROSS_PX, y - n.y * ACROSS_PX);
  }
  return sum / 3;
}

/**
 * The step across the line at `p` where it stands out as an edge (`isolation` times the larger step on
 * the lines beside it: texture and print step everywhere), 0 where it does not, NaN outside the frame.
 */
function isolatedStep(f: Frame, p: Point, u: Point, isolation: number): number {
  const step = stepAcross(f, p, u);
  if (Number.isNaN(step)) return step;
  const beside = Math.max(
    Math.abs(stepAcross(f, p, u, ISOLATION_OFFSET_PX)) || 0,
    Math.abs(stepAcross(f, p, u, -ISOLATION_OFFSET_PX)) || 0,
  );
  return Math.abs(step) >= isolation * beside ? step : 0;
}

/**
 * How far the straight line from `from` through `corner` runs on as an edge past `corner` (pixels),
 * keeping the polarity it starts with: 0 when it stops there, null when it runs to the frame's edge or
 * past `maxPx`.
 */
function continuation(
  f: Frame,
  from: Point,
  corner: Point,
  maxPx: number,
  s: Readonly<SideExtensionSettings>,
): number | null {
  const len = Math.hypot(corner.x - from.x, corner.y - from.y);
  if (!(len > 0)) return 0;
  const u = { x: (corner.x - from.x) / len, y: (corner.y - from.y) / len };
  let polarity = 0;
  let end = 0;
  for (let d = 1; d <= maxPx + s.maxGapPx; d++) {
    const step = isolatedStep(f, { x: corner.x + u.x * d, y: corner.y + u.y * d }, u, s.isolation);
    if (Number.isNaN(step)) return null;
    if (polarity === 0 && Math.abs(step) >= s.minStep) polarity = Math.sign(step);
    if (polarity !== 0 && polarity * step >= s.minStep) end = d;
    else if (d - end > s.maxGapPx) return end > maxPx ? null : end;
  }
  return null;
}

/** How far each end of a side moves out, or null when it stays. */
function sideMove(a: number | null, b: number | null, minPx: number, s: Readonly<SideExtensionSettings>) {
  if (a === null || b === null) return null;
  if (a >= minPx && b >= minPx) {
    return Math.abs(a - b) <= s.maxUnevenness * Math.max(a, b) ? { a, b } : null;
  }
  const longer = Math.max(a, b);
  return s.minNeighbours === 1 && longer >= minPx ? { a: longer, b: longer } : null;
}

/**
 * Moves out each side whose neighbouring sides run on past its corners and stop within `maxShare` of
 * the diagonal. `sidesFound` says which sides lie on edges found in the image (edge-refine.ts): only
 * those are trusted as neighbours.
 */
export function extendSidesToNeighbours(
  frame: Frame,
  quad: Quad,
  sidesFound: readonly boolean[],
  settings: Readonly<SideExtensionSettings> = DEFAULT_SIDE_EXTENSION,
): SideExtension {
  const diagonal = quadDiagonal(quad);
  const maxPx = settings.maxShare * diagonal;
  const minPx = settings.minShare * diagonal;
  // Each side as a line through two points; a moved side gets a new line, and the corners are where
  // neighbouring lines meet, so that two moved sides that share a corner move it together.
  const lines: [Point, Point][] = quad.map((p, i) => [p, quad[(i + 1) % 4]!]);
  const extended = [false, false, false, false] as [boolean, boolean, boolean, boolean];
  for (let i = 0; i < 4; i++) {
    const [prev, next, opposite] = [(i + 3) % 4, (i + 1) % 4, (i + 2) % 4];
    if (!sidesFound[prev] || !sidesFound[next]) continue;
    // Side i runs from corner i to corner i + 1; its neighbours come into corner i from corner i − 1 and
    // into corner i + 1 from corner i + 2.
    const move = sideMove(
      continuation(frame, quad[prev]!, quad[i]!, maxPx, settings),
      continuation(frame, quad[opposite]!, quad[next]!, maxPx, settings),
      minPx,
      settings,
    );
    if (!move) continue;
    lines[i] = [
      pointBeyond(quad[prev]!, quad[i]!, move.a),
      pointBeyond(quad[opposite]!, quad[next]!, move.b),
    ];
    extended[i] = true;
  }
  if (!extended.some(Boolean)) return { corners: quad, extended };
  const corners = quad.map((p, i) => intersectLines(...lines[(i + 3) % 4]!, ...lines[i]!) ?? p);
  return { corners: [corners[0]!, corners[1]!, corners[2]!, corners[3]!], extended };
}

/**
 * The edges (edge-refine.ts), and where they leave a side whose neighbours run on, that side moved out
 * and the edges again: the move stands when every moved side is found on an edge at its new place.
 */
export function refineEdgesAndSides(
  frame: Frame,
  quad: Quad,
  edges: Readonly<EdgeRefineSettings>,
  sides: Readonly<SideExtensionSettings> | null,
): EdgeRefinement {
  const refined = refineCornersOnEdges(frame, quad, edges);
  if (!sides) return refined;
  const moved = extendSidesToNeighbours(frame, refined.corners, refined.sidesFound, sides);
  if (!moved.extended.some(Boolean)) return refined;
  const again = refineCornersOnEdges(frame, moved.corners, edges);
  return moved.extended.every((e, i) => !e || again.sidesFound[i]) ? again : refined;
}

/** The point `d` pixels past `to` on the line from `from`. */
function pointBeyond(from: Point, to: Point, d: number): Point {
  const len = Math.hypot(to.x - from.x, to.y - from.y);
  return { x: to.x + ((to.x - from.x) / len) * d, y: to.y + ((to.y - from.y) / len) * d };
}
