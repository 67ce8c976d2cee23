/**
 * Which detected text lines form the machine-readable zone: pieces of one line joined, then runs of two
 * or three long, parallel, equally long lines at a regular spacing, longest first.
 */
import type { TextBox } from './detect.js';

const deg = Math.PI / 180;

function angleGap(a: number, b: number): number {
  let d = Math.abs(a - b) % Math.PI;
  if (d > Math.PI / 2) d = Math.PI - d;
  return d;
}

/** Joins collinear pieces of one line (the detector can split a line inside a run of fillers). */
export function joinPieces(boxes: TextBox[]): TextBox[] {
  const out = boxes.map((box) => ({ ...box }));
  let joined = true;
  while (joined) {
    joined = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        const long = a.length >= b.length ? a : b;
        if (angleGap(a.angle, b.angle) > 4 * deg && Math.min(a.length, b.length) > 3 * long.thickness)
          continue;
        const dx = Math.cos(long.angle);
        const dy = Math.sin(long.angle);
        const thickness = Math.max(a.thickness, b.thickness);
        const across = (box: TextBox) => -(box.cx - long.cx) * dy + (box.cy - long.cy) * dx;
        if (Math.abs(across(a) - across(b)) > 0.3 * thickness) continue;
        if (Math.abs(a.thickness - b.thickness) > 0.5 * thickness) continue;
        const along = (box: TextBox) => (box.cx - long.cx) * dx + (box.cy - long.cy) * dy;
        const a0 = along(a) - a.length / 2;
        const a1 = along(a) + a.length / 2;
        const b0 = along(b) - b.length / 2;
        const b1 = along(b) + b.length / 2;
        const gap = Math.max(a0, b0) - Math.min(a1, b1);
        // Generous: the detector often loses part of a long run of fillers.
        if (gap > 3 * thickness) continue;
        const u0 = Math.min(a0, b0);
        const u1 = Math.max(a1, b1);
        const v = (across(a) * a.length + across(b) * b.length) / (a.length + b.length);
        const mid = (u0 + u1) / 2;
        out[i] = {
          cx: long.cx + mid * dx - v * dy,
          cy: long.cy + mid * dy + v * dx,
          angle: long.angle,
          length: u1 - u0,
          thickness,
          score: (a.score * a.length + b.score * b.length) / (a.length + b.length),
        };
        out.splice(j, 1);
        joined = true;
        break outer;
      }
    }
  }
  return out;
}

/** Candidate zones, most likely first: each a list of line boxes from top to bottom. */
export function zoneCandidates(boxes: TextBox[]): TextBox[][] {
  const lines = joinPieces(boxes).filter((box) => box.length >= 8 * box.thickness && box.thickness >= 6);
  // Bring every line to point left to right.
  for (const line of lines) {
    if (Math.cos(line.angle) < 0) line.angle += Math.PI;
  }
  // Zone lines start at the same place; their right ends vary where the detector lost a run of fillers.
  const follows = (upper: TextBox, lower: TextBox) => {
    if (angleGap(upper.angle, lower.angle) > 4 * deg) return false;
    // A line may lose most of its length to a run of fillers (a short name, a short number).
    const ratio = lower.length / upper.length;
    if (ratio < 0.2 || ratio > 5) return false;
    const dx = Math.cos(upper.angle);
    const dy = Math.sin(upper.angle);
    const across = -(lower.cx - upper.cx) * dy + (lower.cy - upper.cy) * dx;
    const along = (lower.cx - upper.cx) * dx + (lower.cy - upper.cy) * dy;
    const leftShift = along - lower.length / 2 + upper.length / 2;
    const thickness = (upper.thickness + lower.thickness) / 2;
    const longest = Math.max(upper.length, lower.length);
    return (
      across > 0.6 * thickness && across < 2.6 * thickness && Math.abs(leftShift) < 0.06 * longest + thickness
    );
  };
  const groups: TextBox[][] = [];
  for (const first of lines) {
    // Chains that start here (nothing above continues into `first`).
    if (lines.some((other) => other !== first && follows(other, first))) continue;
    const chain = [first];
    for (;;) {
      const last = chain[chain.length - 1]!;
      const next = lines.find((other) => !chain.includes(other) && follows(last, other));
      if (!next) break;
      chain.push(next);
    }
    // Two lines: one must be as long as a zone line (the other may have lost its fillers); three
    // parallel, left-aligned long lines are a zone even when all lost their fillers.
    if (chain.length === 2 && !chain.some((box) => box.length >= 15 * box.thickness)) continue;
    if (chain.length === 2 || chain.length === 3) groups.push(chain);
    else if (chain.length > 3) {
      // More lines than a zone has: the last three or two (a zone is at the bottom of its page).
      groups.push(chain.slice(-3), chain.slice(-2));
    }
  }
  const size = (group: TextBox[]) => group.reduce((sum, box) => sum + box.length * box.score, 0);
  return groups.sort((a, b) => size(b) - size(a));
}

/**
 * The lines of a zone are equally long and start together: each line's ends become the outermost ends
 * found on any line, so a line whose fillers the detector and the ink search both missed is read whole.
 */
export function unifyEnds<T extends { u0: number; u1: number }>(zone: TextBox[], measures: T[]): T[] {
  const base = zone[0]!;
  const dx = Math.cos(base.angle);
  const dy = Math.sin(base.angle);
  // Offset of each box's centre along the zone's direction.
  const shift = zone.map((box) => (box.cx - base.cx) * dx + (box.cy - base.cy) * dy);
  const left = Math.min(...measures.map((m, i) => m.u0 + shift[i]!));
  const right = Math.max(...measures.map((m, i) => m.u1 + shift[i]!));
  return measures.map((m, i) => ({ ...m, u0: left - shift[i]!, u1: right - shift[i]! }));
}
