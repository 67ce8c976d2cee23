/** Turns the detector's raw outputs into corners in source-frame pixels (runtime independent). */

import type { Point, Quad } from './geometry.js';
import { cornerInside } from './geometry.js';
import type { Letterbox } from './preprocess.js';
import { inputToSource } from './preprocess.js';

/** The four outputs of `document-detector.onnx` (see models/document/model.py). */
export interface DetectorOutputs {
  /** (1, 1) probability that a document is in the frame. */
  presence: ArrayLike<number>;
  /** (1, 4) probability that each corner lies inside the camera image. */
  inside: ArrayLike<number>;
  /** (1, 4, 2) soft-argmax corners, x / inputWidth and y / inputHeight. */
  corners: ArrayLike<number>;
  /** (1, 4, 2) regressed corners in the same units; used for corners judged outside. */
  coarse: ArrayLike<number>;
}

/** A runtime's named output tensors (onnxruntime's session results, node or web). */
export type NamedOutputs = Readonly<Record<string, { readonly data: unknown } | undefined>>;

/** The detector's outputs from a runtime's named results; a missing required output is an error. */
export function readDetectorOutputs(results: NamedOutputs): DetectorOutputs {
  const read = (name: string): Float32Array => {
    const t = results[name];
    if (!t) throw new Error(`the document model has no output "${name}"`);
    return t.data as Float32Array;
  };
  return {
    presence: read('presence'),
    inside: read('inside'),
    corners: read('corners'),
    coarse: read('coarse'),
  };
}

export interface DocumentDetection {
  present: boolean;
  /** Presence probability, 0–1. */
  confidence: number;
  /** TL, TR, BR, BL of the document as read, in source-frame pixels (may lie outside the frame). */
  corners: Quad;
  /** Whether each corner lies inside the frame. */
  inside: readonly [boolean, boolean, boolean, boolean];
  insideScores: readonly [number, number, number, number];
  /** What a second look at a window around the document saw (second-look.ts), where one was taken. */
  secondLook?: SecondLook;
}

export interface SecondLook {
  /** The window's presence score. */
  readonly confidence: number;
  /** Whether the corners are the window's (it saw all four inside it); otherwise the first look's stand. */
  readonly refined: boolean;
}

export interface DecodeOptions {
  presenceThreshold?: number;
  insideThreshold?: number;
}

export const DEFAULT_PRESENCE_THRESHOLD = 0.5;
export const DEFAULT_INSIDE_THRESHOLD = 0.5;

export function decodeDetection(
  out: DetectorOutputs,
  lb: Letterbox,
  opts: DecodeOptions = {},
): DocumentDetection {
  const presenceThreshold = opts.presenceThreshold ?? DEFAULT_PRESENCE_THRESHOLD;
  const insideThreshold = opts.insideThreshold ?? DEFAULT_INSIDE_THRESHOLD;
  if (out.presence.length < 1 || out.inside.length < 4 || out.corners.length < 8 || out.coarse.length < 8) {
    throw new RangeError('detector outputs have the wrong size');
  }
  const confidence = out.presence[0]!;
  const pts: Point[] = [];
  const inside: boolean[] = [];
  const scores: number[] = [];
  for (let i = 0; i < 4; i++) {
    const score = out.inside[i]!;
    const useHeat = score >= insideThreshold;
    const src = useHeat ? out.corners : out.coarse;
    const p = inputToSource(lb, src[2 * i]! * lb.dstWidth, src[2 * i + 1]! * lb.dstHeight);
    pts.push(p);
    scores.push(score);
    inside.push(useHeat && cornerInside(p, lb.srcWidth, lb.srcHeight));
  }
  return {
    present: confidence >= presenceThreshold,
    confidence,
    corners: [pts[0]!, pts[1]!, pts[2]!, pts[3]!],
    inside: [inside[0]!, inside[1]!, inside[2]!, inside[3]!],
    insideScores: [scores[0]!, scores[1]!, scores[2]!, scores[3]!],
  };
}
