/** Shared builders for the document tests (not part of the public API). */

import type { DocumentDetection } from './decode.js';
import type { Quad } from './geometry.js';

/** An axis-aligned document of the given size centred at (cx, cy). */
export function rectQuad(cx: number, cy: number, w: number, h: number): Quad {
  return [
    { x: cx - w / 2, y: cy - h / 2 },
    { x: cx + w / 2, y: cy - h / 2 },
    { x: cx + w / 2, y: cy + h / 2 },
    { x: cx - w / 2, y: cy + h / 2 },
  ];
}

export function detection(
  corners: Quad,
  confidence = 0.9,
  inside = [true, true, true, true],
): DocumentDetection {
  return {
    present: confidence >= 0.5,
    confidence,
    corners,
    inside: [inside[0]!, inside[1]!, inside[2]!, inside[3]!],
    insideScores: [0.9, 0.9, 0.9, 0.9],
  };
}
