import type { RegionStats } from './types.js';

/** Luma (BT.601) of interleaved RGBA pixels, one byte per pixel. */
export function rgbaToLuma(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Uint8Array {
  const luma = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < luma.length; i += 1, p += 4) {
    const r = rgba[p] ?? 0;
    const g = rgba[p + 1] ?? 0;
    const b = rgba[p + 2] ?? 0;
    luma[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return luma;
}

/** Brightness, clipping and sharpness of a grey image (the face crop). */
export function measureRegion(luma: Uint8Array, width: number, height: number): RegionStats {
  if (width < 3 || height < 3 || luma.length < width * height) {
    throw new Error(`region too small: ${width}x${height}`);
  }
  let sum = 0;
  let clipped = 0;
  for (let i = 0; i < width * height; i += 1) {
    const v = luma[i] ?? 0;
    sum += v;
    if (v >= 250) clipped += 1;
  }
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      const lap =
        4 * (luma[i] ?? 0) -
        (luma[i - 1] ?? 0) -
        (luma[i + 1] ?? 0) -
        (luma[i - width] ?? 0) -
        (luma[i + width] ?? 0);
      lapSum += lap;
      lapSq += lap * lap;
      count += 1;
    }
  }
  const lapMean = lapSum / count;
  return {
    meanLuma: sum / (width * height),
    clippedHighShare: clipped / (width * height),
    laplacianVariance: lapSq / count - lapMean * lapMean,
  };
}
