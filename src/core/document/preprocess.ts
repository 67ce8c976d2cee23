/**
 * Runtime-independent pre-processing for the document detector: letterbox geometry and the input
 * tensor (1 × 3 × 120 × 160, RGB in [0, 1], planar), shared by the browser worker and the server.
 */

export const DETECTOR_INPUT_WIDTH = 160;
export const DETECTOR_INPUT_HEIGHT = 120;
/** Grey the letterbox bars are filled with (0–255), as in training. */
export const DETECTOR_PAD_VALUE = 114;

/**
 * Where a camera frame lands inside the detector input: the whole frame, letterboxed (`letterbox`), or a
 * window of it enlarged to fill the input (`windowPlacement`).
 */
export interface Letterbox {
  srcWidth: number;
  srcHeight: number;
  dstWidth: number;
  dstHeight: number;
  /**
   * The frame's rectangle in input pixels. A letterbox keeps it inside the input at whole offsets; a
   * window puts it at negative, fractional offsets and makes it larger than the input.
   */
  offsetX: number;
  offsetY: number;
  contentWidth: number;
  contentHeight: number;
}

export function letterbox(
  srcWidth: number,
  srcHeight: number,
  dstWidth = DETECTOR_INPUT_WIDTH,
  dstHeight = DETECTOR_INPUT_HEIGHT,
): Letterbox {
  if (!(srcWidth > 0 && srcHeight > 0 && dstWidth > 0 && dstHeight > 0)) {
    throw new RangeError('letterbox needs positive sizes');
  }
  const aspect = srcWidth / srcHeight;
  let contentWidth: number;
  let contentHeight: number;
  if (aspect >= dstWidth / dstHeight) {
    contentWidth = dstWidth;
    contentHeight = Math.max(1, Math.min(dstHeight, Math.round(dstWidth / aspect)));
  } else {
    contentWidth = Math.max(1, Math.min(dstWidth, Math.round(dstHeight * aspect)));
    contentHeight = dstHeight;
  }
  return {
    srcWidth,
    srcHeight,
    dstWidth,
    dstHeight,
    offsetX: Math.floor((dstWidth - contentWidth) / 2),
    offsetY: Math.floor((dstHeight - contentHeight) / 2),
    contentWidth,
    contentHeight,
  };
}

/** Input-tensor pixel coordinates (continuous, pixel i spans [i, i+1]) to source-frame pixels. */
export function inputToSource(lb: Letterbox, x: number, y: number): { x: number; y: number } {
  return {
    x: ((x - lb.offsetX) * lb.srcWidth) / lb.contentWidth,
    y: ((y - lb.offsetY) * lb.srcHeight) / lb.contentHeight,
  };
}

/** Source-frame pixels to input-tensor pixels. */
export function sourceToInput(lb: Letterbox, x: number, y: number): { x: number; y: number } {
  return {
    x: lb.offsetX + (x * lb.contentWidth) / lb.srcWidth,
    y: lb.offsetY + (y * lb.contentHeight) / lb.srcHeight,
  };
}

/**
 * Where a frame lands in the detector input when the input shows only a window of it (the second look
 * at a document, see second-look.ts): the window `x, y, width, height` (source pixels, may overhang the frame)
 * fills the whole input, so the frame's own rectangle starts at a negative or fractional offset and may
 * be larger than the input. `inputToSource`, `sourceToInput`, `decodeDetection` and `fillInputTensor`
 * take it like a letterbox.
 */
export function windowPlacement(
  srcWidth: number,
  srcHeight: number,
  window: { x: number; y: number; width: number; height: number },
  dstWidth = DETECTOR_INPUT_WIDTH,
  dstHeight = DETECTOR_INPUT_HEIGHT,
): Letterbox {
  if (!(srcWidth > 0 && srcHeight > 0 && window.width > 0 && window.height > 0)) {
    throw new RangeError('windowPlacement needs positive sizes');
  }
  const sx = dstWidth / window.width;
  const sy = dstHeight / window.height;
  return {
    srcWidth,
    srcHeight,
    dstWidth,
    dstHeight,
    offsetX: -window.x * sx,
    offsetY: -window.y * sy,
    contentWidth: srcWidth * sx,
    contentHeight: srcHeight * sy,
  };
}

interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weight: Float32Array;
  /** Share of each output sample the source covers (0–1); the rest of it is the pad value. */
  coverage: Float32Array;
  stride: number;
}

/**
 * Weights of the source samples that each of `m` output samples takes along one axis, where the
 * source's `n` samples span `span` output samples starting at output position `offset` (both may be
 * fractional, and the source may overhang the output). Reducing averages the covered area; enlarging
 * (only ever a small frame in its letterbox) falls back to linear interpolation.
 */
function axisWeights(n: number, m: number, offset: number, span: number): AxisWeights {
  const scale = n / span;
  const stride = Math.ceil(Math.max(scale, 1)) + 2;
  const start = new Int32Array(m);
  const count = new Int32Array(m);
  const weight = new Float32Array(m * stride);
  const coverage = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    if (scale >= 1) {
      const a = Math.max(0, (i - offset) * scale);
      const b = Math.min(n, (i + 1 - offset) * scale);
      if (b <= a) continue;
      const s = Math.floor(a);
      const e = Math.ceil(b);
      start[i] = s;
      count[i] = e - s;
      let covered = 0;
      for (let k = s; k < e; k++) {
        const w = (Math.min(b, k + 1) - Math.max(a, k)) / scale;
        weight[i * stride + (k - s)] = w;
        covered += w;
      }
      coverage[i] = covered;
    } else {
      const centre = i + 0.5 - offset;
      if (centre < 0 || centre > span) continue;
      const c = Math.min(n - 1, Math.max(0, centre * scale - 0.5));
      const s = Math.min(n - 2, Math.floor(c));
      const f = c - Math.max(0, s);
      start[i] = Math.max(0, s);
      count[i] = n > 1 ? 2 : 1;
      weight[i * stride] = n > 1 ? 1 - f : 1;
      if (n > 1) weight[i * stride + 1] = f;
      coverage[i] = 1;
    }
  }
  return { start, count, weight, coverage, stride };
}

/** A letterbox (not a window) whose content is a whole-number reduction of the frame. */
function isWholeFactorLetterbox(lb: Letterbox): boolean {
  const { offsetX: ox, offsetY: oy, contentWidth: cw, contentHeight: ch } = lb;
  return (
    Number.isInteger(ox) &&
    Number.isInteger(oy) &&
    Number.isInteger(cw) &&
    Number.isInteger(ch) &&
    ox >= 0 &&
    oy >= 0 &&
    ox + cw <= lb.dstWidth &&
    oy + ch <= lb.dstHeight &&
    lb.srcWidth % cw === 0 &&
    lb.srcHeight % ch === 0
  );
}

/**
 * Fills the detector input from an RGBA (or RGB with `channels` = 3) frame placed by a letterbox or a
 * window: area resampling where the frame covers the input, the pad value elsewhere (blended at a
 * partly covered edge), planar RGB scaled to [0, 1].
 */
export function fillInputTensor(
  pixels: ArrayLike<number>,
  lb: Letterbox,
  out: Float32Array = new Float32Array(3 * lb.dstWidth * lb.dstHeight),
  channels: 3 | 4 = 4,
): Float32Array {
  const { srcWidth: sw, srcHeight: sh, dstWidth: dw, dstHeight: dh } = lb;
  if (pixels.length < sw * sh * channels) throw new RangeError('pixel buffer is smaller than the frame');
  const plane = dw * dh;
  if (out.length < 3 * plane) throw new RangeError('output tensor is too small');
  const pad = DETECTOR_PAD_VALUE;
  out.fill(pad / 255, 0, 3 * plane);
  if (isWholeFactorLetterbox(lb)) {
    fillByWholeFactor(pixels, lb, out, channels);
    return out;
  }
  const wx = axisWeights(sw, dw, lb.offsetX, lb.contentWidth);
  const wy = axisWeights(sh, dh, lb.offsetY, lb.contentHeight);
  // Only the source rows some output row reads (a window reads a band of the frame).
  let rowLo = sh;
  let rowHi = 0;
  for (let y = 0; y < dh; y++) {
    if (wy.count[y]! === 0) continue;
    rowLo = Math.min(rowLo, wy.start[y]!);
    rowHi = Math.max(rowHi, wy.start[y]! + wy.count[y]!);
  }
  if (rowHi <= rowLo) return out;
  // Horizontal pass: the rows read × dw columns × 3, the pad already blended in at covered edges.
  const tmp = new Float32Array((rowHi - rowLo) * dw * 3);
  for (let y = rowLo; y < rowHi; y++) {
    const row = y * sw * channels;
    for (let x = 0; x < dw; x++) {
      const n = wx.count[x]!;
      if (n === 0) continue;
      const s = wx.start[x]!;
      const rest = (1 - wx.coverage[x]!) * pad;
      let r = rest;
      let g = rest;
      let b = rest;
      for (let k = 0; k < n; k++) {
        const w = wx.weight[x * wx.stride + k]!;
        const p = row + (s + k) * channels;
        r += w * pixels[p]!;
        g += w * pixels[p + 1]!;
        b += w * pixels[p + 2]!;
      }
      const t = ((y - rowLo) * dw + x) * 3;
      tmp[t] = r;
      tmp[t + 1] = g;
      tmp[t + 2] = b;
    }
  }
  // Vertical pass into the planar tensor.
  for (let y = 0; y < dh; y++) {
    const n = wy.count[y]!;
    if (n === 0) continue;
    const s = wy.start[y]! - rowLo;
    const rest = (1 - wy.coverage[y]!) * pad;
    for (let x = 0; x < dw; x++) {
      if (wx.count[x]! === 0) continue;
      let r = rest;
      let g = rest;
      let b = rest;
      for (let k = 0; k < n; k++) {
        const w = wy.weight[y * wy.stride + k]!;
        const t = ((s + k) * dw + x) * 3;
        r += w * tmp[t]!;
        g += w * tmp[t + 1]!;
        b += w * tmp[t + 2]!;
      }
      const o = y * dw + x;
      out[o] = r / 255;
      out[plane + o] = g / 255;
      out[2 * plane + o] = b / 255;
    }
  }
  return out;
}

/**
 * The same area average where the frame is a whole multiple of the content size (640 × 480, 1280 × 720
 * and most camera sizes): each output pixel is the plain mean of its f × g source block, in one pass
 * with no weights and no intermediate buffer, about three times quicker than the general path.
 */
function fillByWholeFactor(
  pixels: ArrayLike<number>,
  lb: Letterbox,
  out: Float32Array,
  channels: 3 | 4,
): void {
  const { srcWidth: sw, dstWidth: dw, dstHeight: dh, contentWidth: cw, contentHeight: ch } = lb;
  const fx = sw / cw;
  const fy = lb.srcHeight / ch;
  const plane = dw * dh;
  const scale = 1 / (fx * fy * 255);
  const rowStep = sw * channels;
  for (let y = 0; y < ch; y++) {
    const oy = (lb.offsetY + y) * dw + lb.offsetX;
    const top = y * fy * rowStep;
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let rowStart = top + x * fx * channels;
      for (let dy = 0; dy < fy; dy++) {
        let p = rowStart;
        for (let dx = 0; dx < fx; dx++) {
          r += pixels[p]!;
          g += pixels[p + 1]!;
          b += pixels[p + 2]!;
          p += channels;
        }
        rowStart += rowStep;
      }
      const o = oy + x;
      out[o] = r * scale;
      out[plane + o] = g * scale;
      out[2 * plane + o] = b * scale;
    }
  }
}
