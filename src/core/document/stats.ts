/**
 * Measurements inside the document: the detected quad is resampled to a fixed-size upright rectangle
 * (so figures do not depend on how large the document appears), then brightness, sharpness and
 * specular glare are measured there. Pure functions over an RGBA (or RGB) buffer.
 */

import type { Quad } from './geometry.js';
import { applyHomography, squareToQuad } from './geometry.js';

export interface DocumentRegionStats {
  /** Mean luma (Rec. 601, 0–255) inside the document. */
  meanLuma: number;
  /** Variance of the 4-neighbour Laplacian of luma on the rectified document (luma² units). */
  sharpness: number;
  /** Share of document pixels that are near-white (all channels ≥ glareLevel). */
  glareFraction: number;
  /** Largest 4-connected near-white blob, as a share of the document area. */
  largestGlareBlob: number;
  /** Share of the rectified document that fell inside the frame. */
  visibleFraction: number;
}

export interface RegionStatsOptions {
  /** Rectified width in pixels (height follows the aspect). */
  width?: number;
  /** Document width over height used for the rectified grid. */
  aspect?: number;
  /** Fraction of each side trimmed away from the border (background, rounded corners). */
  inset?: number;
  /** Channel level from which a pixel counts as specular glare. */
  glareLevel?: number;
  channels?: 3 | 4;
}

export function measureDocumentRegion(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  quad: Quad,
  opts: RegionStatsOptions = {},
): DocumentRegionStats {
  const channels = opts.channels ?? 4;
  const rw = Math.max(8, Math.round(opts.width ?? 192));
  const rh = Math.max(8, Math.round(rw / (opts.aspect ?? 85.6 / 53.98)));
  const inset = opts.inset ?? 0.04;
  const glareLevel = opts.glareLevel ?? 245;
  if (pixels.length < width * height * channels)
    throw new RangeError('pixel buffer is smaller than the frame');
  const m = squareToQuad(quad);
  const luma = new Float32Array(rw * rh);
  const valid = new Uint8Array(rw * rh);
  const glare = new Uint8Array(rw * rh);
  let sum = 0;
  let n = 0;
  let nGlare = 0;
  for (let j = 0; j < rh; j++) {
    const v = inset + ((j + 0.5) / rh) * (1 - 2 * inset);
    for (let i = 0; i < rw; i++) {
      const u = inset + ((i + 0.5) / rw) * (1 - 2 * inset);
      const p = applyHomography(m, u, v);
      // Bilinear sample at continuous pixel coordinates (pixel k spans [k, k+1]).
      const fx = p.x - 0.5;
      const fy = p.y - 0.5;
      if (!(fx >= 0 && fy >= 0 && fx <= width - 1 && fy <= height - 1)) continue;
      const x0 = Math.min(width - 2, Math.floor(fx));
      const y0 = Math.min(height - 2, Math.floor(fy));
      const ax = fx - x0;
      const ay = fy - y0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < 4; k++) {
        const dx = k & 1;
        const dy = k >> 1;
        const w = (dx ? ax : 1 - ax) * (dy ? ay : 1 - ay);
        const o = ((y0 + dy) * width + (x0 + dx)) * channels;
        r += w * pixels[o]!;
        g += w * pixels[o + 1]!;
        b += w * pixels[o + 2]!;
      }
      const idx = j * rw + i;
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      luma[idx] = l;
      valid[idx] = 1;
      sum += l;
      n++;
      if (r >= glareLevel && g >= glareLevel && b >= glareLevel) {
        glare[idx] = 1;
        nGlare++;
      }
    }
  }
  if (n === 0) {
    return { meanLuma: 0, sharpness: 0, glareFraction: 0, largestGlareBlob: 0, visibleFraction: 0 };
  }
  // Laplacian variance where the pixel and its four neighbours are valid.
  let ls = 0;
  let ls2 = 0;
  let ln = 0;
  for (let j = 1; j < rh - 1; j++) {
    for (let i = 1; i < rw - 1; i++) {
      const idx = j * rw + i;
      if (!valid[idx] || !valid[idx - 1] || !valid[idx + 1] || !valid[idx - rw] || !valid[idx + rw]) continue;
      const lap = luma[idx - 1]! + luma[idx + 1]! + luma[idx - rw]! + luma[idx + rw]! - 4 * luma[idx]!;
      ls += lap;
      ls2 += lap * lap;
      ln++;
    }
  }
  const mean = ln ? ls / ln : 0;
  const sharpness = ln ? Math.max(0, ls2 / ln - mean * mean) : 0;
  return {
    meanLuma: sum / n,
    sharpness,
    glareFraction: nGlare / n,
    largestGlareBlob: largestBlob(glare, rw, rh) / n,
    visibleFraction: n / (rw * rh),
  };
}

/** Size of the largest 4-connected component of ones (iterative flood fill). */
export function largestBlob(mask: Uint8Array, width: number, height: number): number {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let best = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || seen[s]) continue;
    let top = 0;
    stack[top++] = s;
    seen[s] = 1;
    let size = 0;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const x = p % width;
      const y = (p - x) / width;
      if (x > 0 && mask[p - 1] && !seen[p - 1]) {
        seen[p - 1] = 1;
        stack[top++] = p - 1;
      }
      if (x < width - 1 && mask[p + 1] && !seen[p + 1]) {
        seen[p + 1] = 1;
        stack[top++] = p + 1;
      }
      if (y > 0 && mask[p - width] && !seen[p - width]) {
        seen[p - width] = 1;
        stack[top++] = p - width;
      }
      if (y < height - 1 && mask[p + width] && !seen[p + width]) {
        seen[p + width] = 1;
        stack[top++] = p + width;
      }
    }
    if (size > best) best = size;
  }
  return best;
}
