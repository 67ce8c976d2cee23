/**
 * Corner refinement on the document's own edges. The detector places corners to about a cell of its
 * 40 × 30 heatmap; the frame (640 wide) shows the document's edges to a fraction of a pixel. Each side of
 * the detected quad is searched for the straight line, near it, along which the image changes most
 * consistently from document to background, and the corners become the intersections of neighbouring
 * lines: the intersection of the straight sides is also what the corner of a card with rounded corners
 * means.
 *
 * The search scores a candidate line by the edge contrast summed along it (a local Radon transform):
 * a card's border is straight over its whole length, while texture, print and clutter are not, so the
 * sum picks the border even where a thumb or a glare blob covers part of it. Every profile's
 * contribution is capped, so that no single strong edge crossing the side can carry the line.
 */

import type { Point, Quad } from './geometry.js';
import { intersectLines, isConvex, quadDiagonal } from './geometry.js';

export interface EdgeRefineSettings {
  /** How far from the detected side a line is searched, as a share of the document diagonal. */
  readonly searchRange: number;
  /** Lower and upper bound of that distance in pixels. */
  readonly minSearchPx: number;
  readonly maxSearchPx: number;
  /** Profiles across each side; they cover the middle of the side (its ends may be rounded or hidden). */
  readonly profiles: number;
  /** Share of each side's length left out at both ends. */
  readonly endMargin: number;
  /**
   * Mean contrast a side needs for its line to be taken: the luma step (levels) across 2 pixels of the
   * edge, averaged along the side.
   */
  readonly minContrast: number;
  /** Largest contribution of one profile, in the same units. */
  readonly profileCap: number;
  /** Share of a side's profiles whose point on the side lies in the frame, for the side to be searched. */
  readonly minProfilesInside: number;
  /**
   * A line further out than the best one, in the same polarity and nearly parallel, is taken instead
   * when its contrast reaches this share of the best's: a card's border is its outermost edge, and the
   * edge of a printed header band just inside it is often the stronger one.
   */
  readonly outerShare: number;
}

export const DEFAULT_EDGE_REFINE: Readonly<EdgeRefineSettings> = {
  searchRange: 0.025,
  minSearchPx: 4,
  maxSearchPx: 32,
  profiles: 24,
  endMargin: 0.12,
  minContrast: 8,
  profileCap: 80,
  minProfilesInside: 0.5,
  outerShare: 0.5,
};

export interface EdgeRefinement {
  /** The corners on the document's edges; the detected ones where no side could be found. */
  readonly corners: Quad;
  /** Which sides (top, right, bottom, left as read: corner i to corner i + 1) were found in the image. */
  readonly sidesFound: readonly [boolean, boolean, boolean, boolean];
  /** Which corners are the intersection of two sides found in the image. */
  readonly cornersOnEdges: readonly [boolean, boolean, boolean, boolean];
}

/** The pixels the edges are read from. */
export interface Frame {
  readonly pixels: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** Luma (Rec. 601) at a continuous position (pixel k spans [k, k + 1]), bilinear; NaN outside the frame. */
export function lumaAt(f: Frame, x: number, y: number): number {
  const fx = x - 0.5;
  const fy = y - 0.5;
  if (!(fx >= 0 && fy >= 0 && fx <= f.width - 1 && fy <= f.height - 1)) return Number.NaN;
  const x0 = Math.min(f.width - 2, Math.floor(fx));
  const y0 = Math.min(f.height - 2, Math.floor(fy));
  const ax = fx - x0;
  const ay = fy - y0;
  const px = f.pixels;
  const c = f.channels;
  const o00 = (y0 * f.width + x0) * c;
  const o10 = o00 + c;
  const o01 = o00 + f.width * c;
  const o11 = o01 + c;
  const l = (o: number) => 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;
  return (1 - ay) * ((1 - ax) * l(o00) + ax * l(o10)) + ay * ((1 - ax) * l(o01) + ax * l(o11));
}

/** Profile sample spacing along the normal, in pixels. */
const STEP = 0.5;
/** Half-width (pixels) of the smoothing that lets the whole-search step over a sharp edge without missing it. */
const SMOOTH_HALF_WIDTH = 1;
/** Step (pixels) of the first, widest search for a side's line. */
const COARSE_STEP = 2;

/** Edge contrast along the normal at share t[k] of a side, raw and smoothed, from −range to +range. */
interface Profiles {
  readonly t: number[];
  readonly grad: Float32Array[];
  readonly smooth: Float32Array[];
}

/**
 * Edge contrast across one side: for each profile k (at share t[k] of the side), the luma difference per
 * pixel between consecutive samples along the outward normal, at offsets −range…+range. Null where too
 * few profiles lie inside the frame.
 */
function sideProfiles(
  f: Frame,
  a: Point,
  b: Point,
  normal: Point,
  range: number,
  s: Readonly<EdgeRefineSettings>,
): Profiles | null {
  const samples = Math.round((2 * range) / STEP) + 2;
  const t: number[] = [];
  const grad: Float32Array[] = [];
  const smooth: Float32Array[] = [];
  for (let k = 0; k < s.profiles; k++) {
    const share = s.endMargin + ((k + 0.5) / s.profiles) * (1 - 2 * s.endMargin);
    const bx = a.x + (b.x - a.x) * share;
    const by = a.y + (b.y - a.y) * share;
    // A profile counts when the side itself is in the frame there; beyond the frame's edge it reads no
    // contrast, so a line out there scores nothing.
    if (Number.isNaN(lumaAt(f, bx, by))) continue;
    const luma = new Float32Array(samples);
    for (let j = 0; j < samples; j++) {
      const off = -range - STEP / 2 + j * STEP;
      luma[j] = lumaAt(f, bx + normal.x * off, by + normal.y * off);
    }
    const g = new Float32Array(samples - 1);
    for (let j = 0; j < samples - 1; j++) g[j] = (luma[j + 1]! - luma[j]!) / STEP || 0;
    t.push(share);
    grad.push(g);
    smooth.push(boxSmooth(g, SMOOTH_HALF_WIDTH / STEP));
  }
  return t.length >= s.minProfilesInside * s.profiles ? { t, grad, smooth } : null;
}

/** Moving mean over ±half samples (shorter at the ends). */
function boxSmooth(g: Float32Array, half: number): Float32Array {
  const out = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(g.length - 1, i + half); j++) {
      sum += g[j]!;
      n++;
    }
    out[i] = sum / n;
  }
  return out;
}

/**
 * Mean capped contrast along the line through offsets d0 (at the side's start) and d1 (at its end), with
 * the polarity `sign` (+1: the background is brighter than the document).
 */
function lineScore(
  p: Profiles,
  profiles: readonly Float32Array[],
  range: number,
  d0: number,
  d1: number,
  sign: number,
  cap: number,
): number {
  let sum = 0;
  for (let k = 0; k < p.t.length; k++) {
    const g = profiles[k]!;
    const pos = (d0 + (d1 - d0) * p.t[k]! + range) / STEP;
    const i = Math.floor(pos);
    if (i < 0 || i >= g.length - 1) continue;
    const v = sign * (g[i]! + (g[i + 1]! - g[i]!) * (pos - i));
    sum += Math.max(-cap, Math.min(cap, v));
  }
  return sum / p.t.length;
}

/**
 * The best line near one side, to the nearest pixel: offsets along its outward normal at both ends, the
 * polarity, and its contrast (the luma step across 2 · SMOOTH_HALF_WIDTH pixels, averaged along the
 * side). A search in steps of COARSE_STEP on smoothed profiles over the whole range, then in whole
 * pixels around its best on the raw ones; the outermost strong line replaces the strongest (outerShare).
 */
function searchSide(
  p: Profiles,
  range: number,
  s: Readonly<EdgeRefineSettings>,
): { d0: number; d1: number; score: number; sign: number } {
  // The smoothed profiles hold the mean gradient over 2 · SMOOTH_HALF_WIDTH pixels: × that width, the step.
  const span = 2 * SMOOTH_HALF_WIDTH;
  const contrast = (d0: number, d1: number, sign: number) =>
    span * lineScore(p, p.smooth, range, d0, d1, sign, s.profileCap / span);
  const limit = Math.floor((range - 1) / COARSE_STEP) * COARSE_STEP;
  const grid: number[] = [];
  for (let d = -limit; d <= limit; d += COARSE_STEP) grid.push(d);
  let strongest = { d0: 0, d1: 0, score: -Infinity, sign: 1 };
  for (const sign of [1, -1]) {
    for (const d0 of grid) {
      for (const d1 of grid) {
        const score = contrast(d0, d1, sign);
        if (score > strongest.score) strongest = { d0, d1, score, sign };
      }
    }
  }
  let chosen = strongest;
  if (s.outerShare < 1) {
    // Same polarity, at least 2 pixels further out at both ends, parallel to within 2 pixels.
    const outward = (c: { d0: number; d1: number }) => (c.d0 + c.d1) / 2;
    const slope = strongest.d1 - strongest.d0;
    for (const d0 of grid) {
      for (const d1 of grid) {
        if (d0 < strongest.d0 + 2 || d1 < strongest.d1 + 2 || Math.abs(d1 - d0 - slope) > 2) continue;
        if (outward({ d0, d1 }) <= outward(chosen)) continue;
        const score = contrast(d0, d1, strongest.sign);
        if (score >= s.outerShare * strongest.score) chosen = { d0, d1, score, sign: strongest.sign };
      }
    }
  }
  let fine = { d0: chosen.d0, d1: chosen.d1, raw: -Infinity };
  for (let i = -COARSE_STEP + 1; i < COARSE_STEP; i++) {
    for (let j = -COARSE_STEP + 1; j < COARSE_STEP; j++) {
      const d0 = chosen.d0 + i;
      const d1 = chosen.d1 + j;
      if (Math.abs(d0) > range - 1 || Math.abs(d1) > range - 1) continue;
      const raw = lineScore(p, p.grad, range, d0, d1, chosen.sign, s.profileCap);
      if (raw > fine.raw) fine = { d0, d1, raw };
    }
  }
  return { d0: fine.d0, d1: fine.d1, score: contrast(fine.d0, fine.d1, chosen.sign), sign: chosen.sign };
}

/** Half-width (pixels) of the window around the line in which each profile's edge is located. */
const CENTROID_HALF_WIDTH = 2;
/** Residual (pixels) beyond which a profile no longer counts in the line fit (Tukey's biweight). */
const TUKEY_C = 1.5;

/**
 * The line to a fraction of a pixel: each profile's edge is the centroid of its contrast (in the side's
 * polarity) within a window around the current line, and the line is fitted to those points by least
 * squares weighted by each profile's step, down-weighting profiles that disagree (an occluder, a glare
 * blob), a few times over.
 */
function fitSide(
  p: Profiles,
  range: number,
  start: { d0: number; d1: number; sign: number },
): { d0: number; d1: number } {
  let { d0, d1 } = start;
  let robust: number[] = p.t.map(() => 1);
  for (let iter = 0; iter < 6; iter++) {
    // Wide first, while the line may still be a pixel off; narrow last, to leave neighbouring edges out.
    const half = (iter < 2 ? CENTROID_HALF_WIDTH * 1.5 : CENTROID_HALF_WIDTH) / STEP;
    const pts: { t: number; d: number; w: number }[] = [];
    p.t.forEach((t, k) => {
      const g = p.grad[k]!;
      const centre = (d0 + (d1 - d0) * t + range) / STEP;
      let mass = 0;
      let moment = 0;
      for (
        let i = Math.max(0, Math.ceil(centre - half));
        i <= Math.min(g.length - 1, Math.floor(centre + half));
        i++
      ) {
        const v = Math.max(0, start.sign * g[i]!);
        mass += v;
        moment += v * i;
      }
      if (mass > 0) pts.push({ t, d: (moment / mass) * STEP - range, w: robust[k]! * mass });
      else pts.push({ t, d: 0, w: 0 });
    });
    // Weighted least squares of d = a + b t.
    let sw = 0;
    let st = 0;
    let sd = 0;
    let stt = 0;
    let std = 0;
    for (const q of pts) {
      sw += q.w;
      st += q.w * q.t;
      sd += q.w * q.d;
      stt += q.w * q.t * q.t;
      std += q.w * q.t * q.d;
    }
    const den = sw * stt - st * st;
    if (!(sw > 0) || Math.abs(den) < 1e-9 * sw * sw) break;
    const b = (sw * std - st * sd) / den;
    const a = (sd - b * st) / sw;
    d0 = a;
    d1 = a + b;
    robust = pts.map((q) => {
      const r = (q.d - (a + b * q.t)) / TUKEY_C;
      return Math.abs(r) < 1 ? (1 - r * r) ** 2 : 0;
    });
  }
  return { d0, d1 };
}

/**
 * Refines the corners of a detected document on its edges in the frame. Sides that cannot be found (too
 * little of them in the frame, or too faint an edge) keep the detected line; a corner moves only when a
 * side through it was found, and never further than the search range allows.
 */
export function refineCornersOnEdges(
  frame: Frame,
  quad: Quad,
  settings: Readonly<EdgeRefineSettings> = DEFAULT_EDGE_REFINE,
): EdgeRefinement {
  const range = Math.min(
    settings.maxSearchPx,
    Math.max(settings.minSearchPx, settings.searchRange * quadDiagonal(quad)),
  );
  const cx = (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4;
  const cy = (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4;
  const lines: [Point, Point][] = [];
  const found: boolean[] = [];
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    let normal = { x: (b.y - a.y) / len, y: -(b.x - a.x) / len };
    // Outward: away from the quad's centre.
    if (normal.x * ((a.x + b.x) / 2 - cx) + normal.y * ((a.y + b.y) / 2 - cy) < 0) {
      normal = { x: -normal.x, y: -normal.y };
    }
    const profiles = len >= 8 ? sideProfiles(frame, a, b, normal, range, settings) : null;
    const coarse = profiles ? searchSide(profiles, range, settings) : null;
    if (profiles && coarse && coarse.score >= settings.minContrast) {
      const best = fitSide(profiles, range, coarse);
      lines.push([
        { x: a.x + normal.x * best.d0, y: a.y + normal.y * best.d0 },
        { x: b.x + normal.x * best.d1, y: b.y + normal.y * best.d1 },
      ]);
      found.push(true);
    } else {
      lines.push([a, b]);
      found.push(false);
    }
  }
  const corners: Point[] = [];
  const onEdges: boolean[] = [];
  for (let i = 0; i < 4; i++) {
    const prev = lines[(i + 3) % 4]!;
    const next = lines[i]!;
    const p = found[i] || found[(i + 3) % 4] ? intersectLines(prev[0], prev[1], next[0], next[1]) : null;
    const q = quad[i]!;
    const moved = p !== null && Math.hypot(p.x - q.x, p.y - q.y) <= 2 * range;
    corners.push(moved ? p : q);
    onEdges.push(moved && found[i]! && found[(i + 3) % 4]!);
  }
  const refined: Quad = [corners[0]!, corners[1]!, corners[2]!, corners[3]!];
  if (!isConvex(refined)) return { corners: quad, sidesFound: NONE, cornersOnEdges: NONE };
  return {
    corners: refined,
    sidesFound: [found[0]!, found[1]!, found[2]!, found[3]!],
    cornersOnEdges: [onEdges[0]!, onEdges[1]!, onEdges[2]!, onEdges[3]!],
  };
}

const NONE = [false, false, false, false] as const;
