/**
 * Turning the second look's window so that the document stands upright in it. The network reads
 * upright documents best (most of its training scenes hold the card within 45° of upright), and a card
 * turned a quarter or a half turn is where its gross errors gather. The first look already says which
 * way the document reads (its corners are in reading order), so the window is taken in the turned shape
 * (portrait for a quarter turn), turned upright into the input, and what the network finds is turned
 * back. On renderer A's held-out seed 3 (2,000 frames at 640 × 480, eval-pipeline.json) it took the
 * whole pipeline's large documents from 1.30 / 4.52 % (mean / p95 of the corner error) to 1.15 / 3.44 %,
 * and on renderer B (never trained on) from 1.20 / 4.08 % to 1.00 / 3.69 %.
 */

import type { DetectorOutputs, DocumentDetection } from './decode.js';
import { isConvex } from './geometry.js';
import { DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH } from './preprocess.js';

/** Quarter turns (clockwise, on screen) that the document is turned from upright: 0–3. */
export type QuarterTurns = 0 | 1 | 2 | 3;

/**
 * How far the first look's document is turned, by the direction of its top and bottom sides as read; 0
 * where its corners cross (a quad that is no document's says nothing of how one reads).
 */
export function quarterTurns(first: DocumentDetection): QuarterTurns {
  if (!isConvex(first.corners)) return 0;
  const [tl, tr, br, bl] = first.corners;
  const dx = tr.x - tl.x + (br.x - bl.x);
  const dy = tr.y - tl.y + (br.y - bl.y);
  const turns = Math.round(Math.atan2(dy, dx) / (Math.PI / 2));
  return (((turns % 4) + 4) % 4) as QuarterTurns;
}

/** Width and height of the unturned window's tensor: the input's, or its transpose for a quarter turn. */
export function unturnedInputSize(turns: QuarterTurns): { width: number; height: number } {
  return turns % 2
    ? { width: DETECTOR_INPUT_HEIGHT, height: DETECTOR_INPUT_WIDTH }
    : { width: DETECTOR_INPUT_WIDTH, height: DETECTOR_INPUT_HEIGHT };
}

/**
 * The planar RGB tensor `u` (3 × uh × uw, the window as it lies in the frame) turned back by `turns`
 * quarter turns into the detector's input (3 × 120 × 160), so that the document stands upright.
 */
export function turnUpright(u: Float32Array, turns: QuarterTurns): Float32Array {
  if (turns === 0) return u;
  const { width: uw, height: uh } = unturnedInputSize(turns);
  const rw = DETECTOR_INPUT_WIDTH;
  const rh = DETECTOR_INPUT_HEIGHT;
  const out = new Float32Array(3 * rw * rh);
  for (let c = 0; c < 3; c++) {
    const src = c * uw * uh;
    const dst = c * rw * rh;
    for (let yr = 0; yr < rh; yr++) {
      for (let xr = 0; xr < rw; xr++) {
        const [xu, yu] = unturnPixel(xr, yr, uw, uh, turns);
        out[dst + yr * rw + xr] = u[src + yu * uw + xu]!;
      }
    }
  }
  return out;
}

/** The window's pixel that lands on input pixel (xr, yr) once turned upright. */
function unturnPixel(xr: number, yr: number, uw: number, uh: number, turns: QuarterTurns): [number, number] {
  switch (turns) {
    case 1: // turned a quarter clockwise: the input is the window turned a quarter anticlockwise
      return [uw - 1 - yr, xr];
    case 2:
      return [uw - 1 - xr, uh - 1 - yr];
    case 3:
      return [yr, uh - 1 - xr];
    default:
      return [xr, yr];
  }
}

/** A point in the upright input (x / width, y / height) in the unturned window's units. */
function unturnPoint(x: number, y: number, turns: QuarterTurns): [number, number] {
  switch (turns) {
    case 1:
      return [1 - y, x];
    case 2:
      return [1 - x, 1 - y];
    case 3:
      return [y, 1 - x];
    default:
      return [x, y];
  }
}

/** The network's outputs on the upright input, as if it had looked at the unturned window. */
export function unturnOutputs(outputs: DetectorOutputs, turns: QuarterTurns): DetectorOutputs {
  if (turns === 0) return outputs;
  const unturn = (points: ArrayLike<number>) => {
    const out = new Float32Array(8);
    for (let i = 0; i < 4; i++) {
      const [x, y] = unturnPoint(points[2 * i]!, points[2 * i + 1]!, turns);
      out[2 * i] = x;
      out[2 * i + 1] = y;
    }
    return out;
  };
  return { ...outputs, corners: unturn(outputs.corners), coarse: unturn(outputs.coarse) };
}
