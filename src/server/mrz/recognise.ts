/**
 * One zone line through the recogniser: an upright crop along the detected box (48 pixels high, the
 * text stretched 1.5× along the line), extended to the end of the ink, and the model's per-step
 * probabilities folded onto the zone's 37 characters.
 */
import ort from 'onnxruntime-node';
import { MRZ_ALPHABET } from '../../core/mrz/check-digit.js';
import type { TextBox } from './detect.js';
import { sampleGrey, type GreyImage } from './image.js';
import type { OcrModels } from './models.js';

export const REC_HEIGHT = 48;
/** Input pixels per output step of the recogniser. */
export const REC_STRIDE = 8;
/** Columns per character for the alphabet plus the blank at index 0. */
export const CLASSES = MRZ_ALPHABET.length + 1;

export interface CropOptions {
  /** Horizontal stretch before recognition (1.5 measured best: the research note). */
  stretch?: number;
  /** The text's height as a share of the crop's height. */
  textShare?: number;
}

export interface LineCrop {
  /** Grey, REC_HEIGHT rows, `width` columns, 0–255. */
  grey: Float32Array;
  width: number;
  /** Ink extent in crop columns: first and one past the last inked column. */
  inkStart: number;
  inkEnd: number;
  /** Text height in crop pixels (from the ink rows). */
  inkHeight: number;
}

export interface LineProbs {
  /** steps × CLASSES, each row summing to 1: blank first, then MRZ_ALPHABET. */
  probs: Float32Array;
  steps: number;
  /** Share of the model's probability mass that fell on zone characters or the blank, over all steps. */
  coverage: number;
  crop: LineCrop;
}

/**
 * Samples the box as an upright strip of `rows` rows. Columns run along the text from `from` to `to`,
 * rows across it from `offset - band / 2` to `offset + band / 2`, positions relative to the box's centre in
 * image pixels.
 */
function sampleStrip(
  image: GreyImage,
  box: TextBox,
  from: number,
  to: number,
  offset: number,
  band: number,
  width: number,
  rows = REC_HEIGHT,
): Float32Array {
  const grey = new Float32Array(width * rows);
  const dx = Math.cos(box.angle);
  const dy = Math.sin(box.angle);
  for (let col = 0; col < width; col++) {
    const u = from + ((col + 0.5) / width) * (to - from);
    for (let row = 0; row < rows; row++) {
      const v = offset + ((row + 0.5) / rows - 0.5) * band;
      grey[row * width + col] = sampleGrey(
        image,
        box.cx + u * dx - v * dy - 0.5,
        box.cy + u * dy + v * dx - 0.5,
      );
    }
  }
  return grey;
}

/** Stretches contrast between a dark and a light percentile, so glare and shade matter less. */
function normalise(grey: Float32Array): void {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < grey.length; i++) histogram[Math.max(0, Math.min(255, Math.round(grey[i]!)))]! += 1;
  const percentile = (share: number) => {
    const target = grey.length * share;
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]!) > target) return v;
    return 255;
  };
  const lo = percentile(0.02);
  const hi = percentile(0.9);
  const range = Math.max(24, hi - lo);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.max(0, Math.min(255, ((grey[i]! - lo) / range) * 255));
}

/** After normalisation ink is near 0 and paper near 255; thin, blurred filler strokes sit in between. */
const DARK = 150;

/**
 * Columns with ink in the core of the text rows r0..r1. A column dark just above and just below the
 * text as well is not print but a dark region (the background beyond the document's edge).
 */
function inkColumns(grey: Float32Array, width: number, rows: number, r0: number, r1: number): Uint8Array {
  const ink = new Uint8Array(width);
  const inset = Math.floor((r1 - r0) * 0.15);
  const c0 = r0 + inset;
  const c1 = Math.max(c0 + 1, r1 - inset);
  const darkShare = (from: number, to: number, col: number) => {
    let dark = 0;
    for (let row = from; row < to; row++) if (grey[row * width + col]! < DARK) dark += 1;
    return to > from ? dark / (to - from) : 0;
  };
  for (let col = 0; col < width; col++) {
    let dark = 0;
    for (let row = c0; row < c1; row++) if (grey[row * width + col]! < DARK) dark += 1;
    if (dark < 2) continue;
    const above = darkShare(Math.max(0, r0 - 3), r0, col);
    const below = darkShare(r1, Math.min(rows, r1 + 3), col);
    ink[col] = above > 0.6 && below > 0.6 ? 0 : 1;
  }
  return ink;
}

/** The run of inked rows around the strongest one, over columns c0..c1: the text's rows. */
function textRows(grey: Float32Array, width: number, rows: number, c0: number, c1: number): [number, number] {
  const share = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let dark = 0;
    for (let col = c0; col < c1; col++) if (grey[row * width + col]! < DARK) dark += 1;
    share[row] = dark / Math.max(1, c1 - c0);
  }
  // The strongest row near the middle (the text the detector centred on).
  let peak = Math.floor(rows / 2);
  for (let row = Math.floor(rows * 0.25); row < Math.ceil(rows * 0.75); row++)
    if (share[row]! > share[peak]!) peak = row;
  const threshold = Math.max(0.04, share[peak]! * 0.15);
  let top = peak;
  let bottom = peak;
  while (top > 0 && share[top - 1]! >= threshold) top -= 1;
  while (bottom < rows - 1 && share[bottom + 1]! >= threshold) bottom += 1;
  return [top, bottom + 1];
}

/**
 * The run of ink through the middle of the box, grown both ways while the gaps stay below `maxGap`
 * columns (the spaces between characters, never the margin between the zone and the edge of the
 * document). Starting from the middle keeps print or background inside the box's own margins from
 * leading the search astray.
 */
function inkExtent(ink: Uint8Array, from: number, to: number, maxGap: number): [number, number] {
  const middle = Math.floor((from + to) / 2);
  // The nearest ink to the middle (the middle itself may fall between two characters).
  let seed = -1;
  for (let d = 0; d <= (to - from) / 2 && seed < 0; d++) {
    if (ink[middle - d]) seed = middle - d;
    else if (ink[middle + d]) seed = middle + d;
  }
  if (seed < 0) return [from, to];
  const grow = (step: number) => {
    let gap = 0;
    let edge = step > 0 ? seed + 1 : seed;
    for (let i = seed; i >= 0 && i < ink.length; i += step) {
      if (ink[i]) {
        edge = step > 0 ? i + 1 : i;
        gap = 0;
      } else if (++gap > maxGap) break;
    }
    return edge;
  };
  return [grow(-1), grow(1)];
}

/** Where a line's text lies, relative to its box: along (u0..u1) and across (offset, height). */
export interface LineMeasure {
  u0: number;
  u1: number;
  offset: number;
  textHeight: number;
}

/**
 * A coarse strip around the box finds the text's rows and the ends of its ink, a few text heights
 * beyond the box where the detector stopped short (it often loses runs of fillers).
 */
export function measureLine(image: GreyImage, box: TextBox): LineMeasure {
  // Far enough for a line whose box covers half of it (the rest a run of fillers the detector lost);
  // further when the ink runs to the end of the strip.
  let reach = Math.max(box.thickness * 3, box.length * 0.6);
  for (let attempt = 0; ; attempt++) {
    const measure = measureWithin(image, box, reach);
    const touches =
      measure.u1 >= box.length / 2 + reach - measure.textHeight ||
      measure.u0 <= -box.length / 2 - reach + measure.textHeight;
    if (!touches || attempt === 2) return measure;
    reach *= 2;
  }
}

function measureWithin(image: GreyImage, box: TextBox, reach: number): LineMeasure {
  const half = box.length / 2;
  const rows = 40;
  // Wide enough for the text and a little paper on either side, not for the next line of the zone.
  const band = box.thickness * 1.2;
  const perRow = band / rows;
  const width = Math.max(8, Math.round((box.length + 2 * reach) / perRow));
  const coarse = sampleStrip(image, box, -half - reach, half + reach, 0, band, width, rows);
  normalise(coarse);
  const perCol = width / (box.length + 2 * reach);
  const boxStart = Math.round(reach * perCol);
  const boxEnd = Math.round((reach + box.length) * perCol);
  const [top, bottom] = textRows(coarse, width, rows, boxStart, boxEnd);
  const textHeight = Math.max(4 * perRow, (bottom - top) * perRow);
  const ink = inkColumns(coarse, width, rows, top, bottom);
  const maxGap = Math.max(2, Math.round((textHeight * 0.9) / perRow));
  const [i0, i1] = inkExtent(ink, boxStart, boxEnd, maxGap);
  return {
    u0: i0 / perCol - half - reach,
    u1: i1 / perCol - half - reach,
    offset: ((top + bottom) / 2 - rows / 2) * perRow,
    textHeight,
  };
}

/**
 * The crop for the recogniser: the text fills `textShare` of its height, whatever the box's own
 * thickness, with half a text height of margin at the ends, stretched along the line.
 */
export function cropLine(
  image: GreyImage,
  box: TextBox,
  measure: LineMeasure,
  options: CropOptions = {},
): LineCrop {
  const stretch = options.stretch ?? 1.5;
  const textShare = options.textShare ?? 0.6;
  const { u0, u1, offset, textHeight } = measure;
  const band = textHeight / textShare;
  const margin = textHeight * 0.5;
  const scale = (REC_HEIGHT / band) * stretch; // crop columns per image pixel along the line
  const width = Math.max(8, Math.round((u1 - u0 + 2 * margin) * scale));
  const grey = sampleStrip(image, box, u0 - margin, u1 + margin, offset, band, width);
  normalise(grey);
  return {
    grey,
    width,
    inkStart: Math.round(margin * scale),
    inkEnd: Math.round((u1 - u0 + margin) * scale),
    inkHeight: REC_HEIGHT * textShare,
  };
}

/** Runs the recogniser on several crops at once (padded to the widest) and folds the output. */
export async function recognise(models: OcrModels, crops: LineCrop[]): Promise<LineProbs[]> {
  if (crops.length === 0) return [];
  const width = Math.ceil(Math.max(...crops.map((crop) => crop.width)) / REC_STRIDE) * REC_STRIDE;
  const plane = REC_HEIGHT * width;
  const input = new Float32Array(crops.length * 3 * plane);
  crops.forEach((crop, n) => {
    const base = n * 3 * plane;
    for (let row = 0; row < REC_HEIGHT; row++) {
      for (let col = 0; col < width; col++) {
        // Padding is white, like the margin around the zone.
        const value = col < crop.width ? crop.grey[row * crop.width + col]! : 255;
        const x = value / 127.5 - 1;
        const o = row * width + col;
        input[base + o] = x;
        input[base + plane + o] = x;
        input[base + 2 * plane + o] = x;
      }
    }
  });
  const feeds = {
    [models.rec.inputNames[0]!]: new ort.Tensor('float32', input, [crops.length, 3, REC_HEIGHT, width]),
  };
  const output = (await models.rec.run(feeds))[models.rec.outputNames[0]!]!;
  const [, steps, classes] = output.dims as [number, number, number];
  const raw = output.data as Float32Array;
  return crops.map((crop, n) => {
    // Only the steps that cover this crop.
    const own = Math.min(steps, Math.ceil(crop.width / REC_STRIDE));
    const probs = new Float32Array(own * CLASSES);
    let kept = 0;
    for (let t = 0; t < own; t++) {
      const row = (n * steps + t) * classes;
      const out = t * CLASSES;
      probs[out] = raw[row]!;
      for (const [cls, at] of models.folds) probs[out + 1 + at]! += raw[row + cls]!;
      let sum = 0;
      for (let c = 0; c < CLASSES; c++) sum += probs[out + c]!;
      kept += sum;
      for (let c = 0; c < CLASSES; c++) probs[out + c]! /= Math.max(sum, 1e-9);
    }
    return { probs, steps: own, coverage: kept / Math.max(1, own), crop };
  });
}
