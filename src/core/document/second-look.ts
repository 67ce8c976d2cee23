/**
 * The second look: the detector run again on a window around the document it found, enlarged to fill
 * its input. At 160 × 120 a document filling a fifth of the frame spans about 70 input pixels, and its
 * corners are found to about a cell of the heatmap; in the window it spans most of the input and the
 * frame's own pixels (640 wide) give the detail back. Measured on renderer A's 2,000 held-out frames at
 * 640 × 480 (models/document/eval-pipeline.json, the product's pipeline stage by stage, model g4s at
 * presence 0.90, the window turned upright): corner error on documents filling 10–30 % of the frame falls
 * from 2.71 % of the diagonal to 2.24 %, large documents the first look missed are found (98.5 → 99.2 %),
 * and on renderer B false detections fall from 16.8 to 7.5 %.
 *
 * It costs a second inference, so the server runs it on every image and the browser only on the frame
 * it keeps.
 */

import type { DetectorOutputs, DocumentDetection } from './decode.js';
import { DEFAULT_INSIDE_THRESHOLD, decodeDetection } from './decode.js';
import { cornerInside, polygonArea, quadBounds } from './geometry.js';
import { quarterTurns, turnUpright, unturnOutputs, unturnedInputSize } from './upright.js';
import {
  DETECTOR_INPUT_HEIGHT,
  DETECTOR_INPUT_WIDTH,
  fillInputTensor,
  windowPlacement,
  type Letterbox,
} from './preprocess.js';

export interface SecondLookSettings {
  /** Space left around the document's bounding box on each side, as a share of its size. */
  readonly margin: number;
  /**
   * Presence (exported: 0.5 is a first look's calibrated threshold) a first look needs to earn a second
   * look. Lower than 0.5: the window's own verdict then decides, which finds more documents.
   */
  readonly firstLookMinPresence: number;
  /** Presence the window must score for the document to stand. */
  readonly minPresence: number;
  /**
   * Smallest area of the window's document, as a share of the first look's, for its corners to be taken.
   * Below it the two looks disagree about what the document is: the window has read a part of it (its
   * photograph, a printed panel, the unglared half) as the whole, and the first look's corners are kept.
   * The window is drawn around the first look's document, so it cannot see a larger one; a smaller one is
   * the failure to guard against.
   */
  readonly minAreaRatio: number;
  /** Turn the window so that the document stands upright in it, as the first look reads it (upright.ts). */
  readonly upright: boolean;
  /**
   * A corner the window judges outside and places within this share of the frame's shorter side of its
   * edge (or beyond it) is outside the frame. The rules' own edge margin (rules.ts edgeMargin).
   */
  readonly cutOffMargin: number;
}

/**
 * margin and the presences were chosen on the calibration seed by models/document/calibrate_second_look.py
 * (calibration-second-look.json): the most documents filling ≥ 30 % found with at most 2 % false
 * detections. minAreaRatio was chosen on the calibration seed's 2,000 frames at 640 × 480 with
 * evaluate-pipeline.ts (--second-look '{"minAreaRatio": r}'): 0.7 and 0.8 tie there, 0.9 raises the
 * p95 (3.61 → 4.03 %), 0 (no guard) leaves the 10–30 % mean at 1.95 % against 1.91; 0.7 is the one that
 * overrules the window least. On the held-out seed 3 it took the large documents' mean from 1.51 to 1.34 %
 * and the 10–30 % mean from 2.00 to 1.69 %. upright was chosen on the same 2,000 frames, the whole
 * pipeline without → with it: large documents' mean 0.92 → 0.85 %, p95 3.59 → 3.35 %, 10–30 % 1.87 →
 * 1.79 %, false detections 0.95 → 0.32 % (turning only half turns, or only quarter turns, did less).
 */
export const DEFAULT_SECOND_LOOK: Readonly<SecondLookSettings> = {
  margin: 0.1,
  firstLookMinPresence: 0.2,
  minPresence: 0.2,
  minAreaRatio: 0.7,
  upright: true,
  cutOffMargin: 0.02,
};

/**
 * The window (4:3, the input's aspect) around what a first look found, or null when it is not worth a
 * second look: too low a presence, or a window that would cover the whole frame (the first look then
 * stands alone). The window is never narrower than the input, so the frame is never enlarged; it stays
 * inside the frame where it fits, so that the network sees the frame's pixels rather than padding.
 */
export function secondLookWindow(
  first: DocumentDetection,
  frameWidth: number,
  frameHeight: number,
  settings: Readonly<SecondLookSettings> = DEFAULT_SECOND_LOOK,
  input: { readonly width: number; readonly height: number } = {
    width: DETECTOR_INPUT_WIDTH,
    height: DETECTOR_INPUT_HEIGHT,
  },
): Letterbox | null {
  if (first.confidence < settings.firstLookMinPresence) return null;
  const box = quadBounds(first.corners);
  const aspect = input.width / input.height;
  const grow = 1 + 2 * settings.margin;
  const width = Math.max(box.width * grow, box.height * grow * aspect, input.width);
  const height = width / aspect;
  if (width >= frameWidth && height >= frameHeight) return null;
  const x = placeAlong(box.x + box.width / 2, width, frameWidth);
  const y = placeAlong(box.y + box.height / 2, height, frameHeight);
  return windowPlacement(frameWidth, frameHeight, { x, y, width, height }, input.width, input.height);
}

/** Start of a window of `size` centred on `centre`, slid inside [0, extent] when it fits, else centred. */
function placeAlong(centre: number, size: number, extent: number): number {
  if (size >= extent) return (extent - size) / 2;
  return Math.min(Math.max(centre - size / 2, 0), extent - size);
}

/**
 * The first look with what the window saw: the document stands when the window scores it present, and
 * takes the window's corners where the first look had all four inside the frame, the window sees all
 * four inside itself. The window's reading order is taken too: it sees the document larger, and on the
 * calibration seed checking its order against the first look's cost more than it saved. The window's
 * corners are not taken when its document is much smaller than the first look's (minAreaRatio). A
 * corner the first look judged outside the frame stays outside; one it judged inside is outside when
 * the window judges it outside itself and places it at or beyond the frame's edge (cutOffMargin). A
 * window slid inside the frame cannot tell the frame's edge from its own, so its verdict alone is not
 * taken (session 5: that flagged fewer cut-off frames, 95.6 → 93.7 %), but where it puts the corner
 * tells which edge it meant.
 */
export function combineLooks(
  first: DocumentDetection,
  secondOutputs: DetectorOutputs,
  window: Letterbox,
  settings: Readonly<SecondLookSettings> = DEFAULT_SECOND_LOOK,
): DocumentDetection {
  const second = decodeDetection(secondOutputs, window);
  const refined =
    first.inside.every(Boolean) &&
    second.insideScores.every((s) => s >= DEFAULT_INSIDE_THRESHOLD) &&
    polygonArea(second.corners) >= settings.minAreaRatio * polygonArea(first.corners);
  // A corner the window judges outside itself and places beyond the frame's edge, or within the edge
  // margin of it, is outside the frame: where the window reaches the frame's edge, its own edge is the
  // frame's. The first look's "outside" always stands.
  const margin = settings.cutOffMargin * Math.min(window.srcWidth, window.srcHeight);
  const inside = first.inside.map(
    (v, i) =>
      v &&
      !(
        second.insideScores[i]! < DEFAULT_INSIDE_THRESHOLD &&
        !cornerInside(second.corners[i]!, window.srcWidth, window.srcHeight, margin)
      ),
  );
  return {
    ...first,
    inside: [inside[0]!, inside[1]!, inside[2]!, inside[3]!],
    present: second.confidence >= settings.minPresence,
    corners: refined ? second.corners : first.corners,
    secondLook: { confidence: second.confidence, refined },
  };
}

/**
 * The second look at `frame` around what the first look found: the window (turned upright where the
 * settings ask), the network on it, and the two looks combined; the first look unchanged where no window
 * is worth taking.
 */
export async function lookAgain(
  frame: {
    readonly pixels: ArrayLike<number>;
    readonly width: number;
    readonly height: number;
    readonly channels: 3 | 4;
  },
  first: DocumentDetection,
  infer: (input: Float32Array) => Promise<DetectorOutputs>,
  settings: Readonly<SecondLookSettings> = DEFAULT_SECOND_LOOK,
): Promise<DocumentDetection> {
  const turns = settings.upright ? quarterTurns(first) : 0;
  const window = secondLookWindow(first, frame.width, frame.height, settings, unturnedInputSize(turns));
  if (!window) return first;
  const input = turnUpright(fillInputTensor(frame.pixels, window, undefined, frame.channels), turns);
  return combineLooks(first, unturnOutputs(await infer(input), turns), window, settings);
}
