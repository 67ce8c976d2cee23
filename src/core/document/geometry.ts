/** Plane geometry for document quadrilaterals (pure, no DOM). */

export interface Point {
  x: number;
  y: number;
}

/** Four corners: top-left, top-right, bottom-right, bottom-left of the document as read. */
export type Quad = readonly [Point, Point, Point, Point];

/** ID-1 card, 85.6 × 53.98 mm (ISO/IEC 7810). */
export const ID1_ASPECT = 85.6 / 53.98;
/** TD3 passport data page, 125 × 88 mm (ICAO 9303). */
export const TD3_ASPECT = 125 / 88;

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Unsigned area of a simple polygon (shoelace formula). */
export function polygonArea(points: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    s += a.x * b.y - b.x * a.y;
  }
  return Math.abs(s) / 2;
}

/** Mean of the two diagonals: the scale that corner errors are measured against. */
export function quadDiagonal(q: Quad): number {
  return (distance(q[0], q[2]) + distance(q[1], q[3])) / 2;
}

/** Share of the frame covered by the quadrilateral (may exceed 1 for a document larger than the frame). */
export function quadFill(q: Quad, frameWidth: number, frameHeight: number): number {
  return polygonArea(q) / (frameWidth * frameHeight);
}

/** Width over height of the document as read, from the mean lengths of opposite sides. */
/** The axis-aligned rectangle around a quad. */
export function quadBounds(q: Quad): { x: number; y: number; width: number; height: number } {
  const xs = q.map((p) => p.x);
  const ys = q.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function quadAspectRatio(q: Quad): number {
  const w = (distance(q[0], q[1]) + distance(q[3], q[2])) / 2;
  const h = (distance(q[0], q[3]) + distance(q[1], q[2])) / 2;
  return h > 0 ? w / h : Number.POSITIVE_INFINITY;
}

/** True when every corner lies at least `margin` pixels inside the frame. */
export function cornerInside(p: Point, frameWidth: number, frameHeight: number, margin = 0): boolean {
  return p.x >= margin && p.y >= margin && p.x <= frameWidth - margin && p.y <= frameHeight - margin;
}

export function isConvex(q: Quad): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const c = q[(i + 2) % 4]!;
    const z = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    if (z === 0) continue;
    const s = Math.sign(z);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return sign !== 0;
}

/**
 * Orders four unordered points clockwise on screen starting from the one nearest the frame's top-left
 * (the smallest x + y). Geometry alone cannot tell how a document is read; the detector already returns
 * corners in reading order, so this is for other sources of points (edge fitting, manual marking).
 */
export function orderCornersClockwise(points: readonly Point[]): Quad {
  if (points.length !== 4) throw new RangeError('orderCornersClockwise needs exactly four points');
  const cx = points.reduce((s, p) => s + p.x, 0) / 4;
  const cy = points.reduce((s, p) => s + p.y, 0) / 4;
  // Image coordinates (y down): increasing atan2 angle is clockwise on screen.
  const sorted = [...points].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  let start = 0;
  for (let i = 1; i < 4; i++) {
    if (sorted[i]!.x + sorted[i]!.y < sorted[start]!.x + sorted[start]!.y) start = i;
  }
  return [sorted[start]!, sorted[(start + 1) % 4]!, sorted[(start + 2) % 4]!, sorted[(start + 3) % 4]!];
}

/** Mean distance between matching corners of two quads. */
export function meanCornerShift(a: Quad, b: Quad): number {
  return (distance(a[0], b[0]) + distance(a[1], b[1]) + distance(a[2], b[2]) + distance(a[3], b[3])) / 4;
}

/**
 * Homography taking the unit square (0,0) (1,0) (1,1) (0,1) to the quad, as a row-major 3×3 matrix
 * (Heckbert's projective mapping of a square to a quadrilateral).
 */
export function squareToQuad(q: Quad): number[] {
  const [p0, p1, p2, p3] = q;
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  let g = 0;
  let h = 0;
  if (sx !== 0 || sy !== 0) {
    const den = dx1 * dy2 - dx2 * dy1;
    g = (sx * dy2 - dx2 * sy) / den;
    h = (dx1 * sy - sx * dy1) / den;
  }
  return [
    p1.x - p0.x + g * p1.x,
    p3.x - p0.x + h * p3.x,
    p0.x,
    p1.y - p0.y + g * p1.y,
    p3.y - p0.y + h * p3.y,
    p0.y,
    g,
    h,
    1,
  ];
}

export function applyHomography(m: readonly number[], u: number, v: number): Point {
  const w = m[6]! * u + m[7]! * v + m[8]!;
  return { x: (m[0]! * u + m[1]! * v + m[2]!) / w, y: (m[3]! * u + m[4]! * v + m[5]!) / w };
}

/** Intersection of the lines a1–a2 and b1–b2; null when they are (nearly) parallel. */
export function intersectLines(a1: Point, a2: Point, b1: Point, b2: Point): Point | null {
  const dax = a2.x - a1.x;
  const day = a2.y - a1.y;
  const dbx = b2.x - b1.x;
  const dby = b2.y - b1.y;
  const den = dax * dby - day * dbx;
  if (Math.abs(den) < 1e-9 * Math.hypot(dax, day) * Math.hypot(dbx, dby)) return null;
  const u = ((b1.x - a1.x) * dby - (b1.y - a1.y) * dbx) / den;
  return { x: a1.x + u * dax, y: a1.y + u * day };
}
