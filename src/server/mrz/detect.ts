/**
 * Text detection (PP-OCRv4 DB): the probability map thresholded into connected regions, each region
 * turned into an oriented box (principal axis of its pixels), grown back to the text's size.
 */
import ort from 'onnxruntime-node';
import { resizeRgb, type RgbImage } from './image.js';
import type { OcrModels } from './models.js';

/** An oriented text box in the image's pixels: centre, unit direction along the text, size. */
export interface TextBox {
  cx: number;
  cy: number;
  /** Angle of the text's baseline, radians, clockwise from the x axis (image y points down). */
  angle: number;
  /** Along the text. */
  length: number;
  /** Across the text. */
  thickness: number;
  /** Mean probability over the region. */
  score: number;
}

const MEAN = [0.406, 0.456, 0.485]; // for R, G, B (the model was trained on BGR input)
const STD = [0.225, 0.224, 0.229];
const THRESHOLD = 0.3;
const MIN_SCORE = 0.5;
const MIN_PIXELS = 12;
/** PaddleOCR's unclip ratio: the region is grown by area × ratio / perimeter on every side. */
const UNCLIP = 1.5;

/**
 * Longer side of the image for detection: zone characters stay about 7 px high or more for a passport
 * page filling 60% of the frame's width.
 */
export const DETECT_SIDE = 800;

export interface DetectOptions {
  /** The longer side the image is resized to for detection. */
  maxSide?: number;
}

export async function detectText(
  models: OcrModels,
  image: RgbImage,
  options: DetectOptions = {},
): Promise<TextBox[]> {
  const maxSide = options.maxSide ?? DETECT_SIDE;
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const w = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const small = await resizeRgb(image, w, h);
  const plane = w * h;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      // Channel order B, G, R.
      input[(2 - c) * plane + i] = (small.data[i * 3 + c]! / 255 - MEAN[c]!) / STD[c]!;
    }
  }
  const feeds = { [models.det.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, h, w]) };
  const output = await models.det.run(feeds);
  const map = output[models.det.outputNames[0]!]!.data as Float32Array;
  const boxes = boxesFromMap(map, w, h);
  const sx = image.width / w;
  const sy = image.height / h;
  return boxes.map((box) => scaleBox(box, sx, sy));
}

function scaleBox(box: TextBox, sx: number, sy: number): TextBox {
  const dx = Math.cos(box.angle);
  const dy = Math.sin(box.angle);
  return {
    cx: box.cx * sx,
    cy: box.cy * sy,
    angle: Math.atan2(dy * sy, dx * sx),
    length: box.length * Math.hypot(dx * sx, dy * sy),
    thickness: box.thickness * Math.hypot(-dy * sx, dx * sy),
    score: box.score,
  };
}

/** Connected regions above the threshold (4-neighbourhood) as oriented boxes. */
export function boxesFromMap(map: Float32Array, w: number, h: number): TextBox[] {
  const label = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  const boxes: TextBox[] = [];
  let next = 0;
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== 0 || map[start]! <= THRESHOLD) continue;
    next += 1;
    let top = 0;
    stack[top++] = start;
    label[start] = next;
    let n = 0;
    let sum = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    const members: number[] = [];
    while (top > 0) {
      const p = stack[--top]!;
      members.push(p);
      const x = p % w;
      const y = (p - x) / w;
      n += 1;
      sum += map[p]!;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
      const visit = (q: number) => {
        if (label[q] === 0 && map[q]! > THRESHOLD) {
          label[q] = next;
          stack[top++] = q;
        }
      };
      if (x > 0) visit(p - 1);
      if (x < w - 1) visit(p + 1);
      if (y > 0) visit(p - w);
      if (y < h - 1) visit(p + w);
    }
    if (n < MIN_PIXELS || sum / n < MIN_SCORE) continue;
    const mx = sx / n;
    const my = sy / n;
    const cxx = sxx / n - mx * mx;
    const cyy = syy / n - my * my;
    const cxy = sxy / n - mx * my;
    const angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
    const dx = Math.cos(angle);
    const dy = Math.sin(angle);
    let uMin = Infinity;
    let uMax = -Infinity;
    let vMin = Infinity;
    let vMax = -Infinity;
    for (const p of members) {
      const x = (p % w) - mx;
      const y = Math.floor(p / w) - my;
      const u = x * dx + y * dy;
      const v = -x * dy + y * dx;
      if (u < uMin) uMin = u;
      if (u > uMax) uMax = u;
      if (v < vMin) vMin = v;
      if (v > vMax) vMax = v;
    }
    const length = uMax - uMin + 1;
    const thickness = vMax - vMin + 1;
    const grow = (length * thickness * UNCLIP) / (2 * (length + thickness));
    const uc = (uMin + uMax) / 2;
    const vc = (vMin + vMax) / 2;
    boxes.push({
      cx: mx + uc * dx - vc * dy + 0.5,
      cy: my + uc * dy + vc * dx + 0.5,
      angle,
      length: length + 2 * grow,
      thickness: thickness + 2 * grow,
      score: sum / n,
    });
  }
  return boxes;
}
