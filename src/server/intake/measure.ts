/**
 * Quality measures the service takes itself (the device's own figures are only hints): mean brightness
 * and sharpness as the variance of the Laplacian, both on an 8-bit greyscale image of about a fixed
 * working width so the figures do not depend much on the upload's resolution.
 */

/** Working width of the greyscale image the measures are taken on. */
export const MEASURE_WIDTH = 640;

export interface GreyImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/**
 * Luma of interleaved RGB(A) pixels, point-sampled by a whole step so that the result is about
 * `targetWidth` wide. Done here rather than by a second libvips pipeline: on the intake's hot path it is
 * a few milliseconds of plain arithmetic on pixels already decoded.
 */
export function greySample(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels: number,
  targetWidth = MEASURE_WIDTH,
): GreyImage {
  const step = Math.max(1, Math.floor(width / targetWidth));
  const outWidth = Math.floor(width / step);
  const outHeight = Math.floor(height / step);
  const pixels = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const row = y * step * width;
    for (let x = 0; x < outWidth; x++) {
      const i = (row + x * step) * channels;
      // ITU-R BT.601 weights in fixed point (77 + 150 + 29 = 256).
      pixels[y * outWidth + x] = (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
    }
  }
  return { pixels, width: outWidth, height: outHeight };
}

export interface ImageMeasures {
  /** Mean luma, 0–255. */
  brightness: number;
  /** Variance of the 4-neighbour Laplacian over the working-size greyscale image. */
  sharpness: number;
}

export function measureGrey(pixels: Uint8Array, width: number, height: number): ImageMeasures {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) sum += pixels[i]!;
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap = pixels[i - 1]! + pixels[i + 1]! + pixels[i - width]! + pixels[i + width]! - 4 * pixels[i]!;
      lapSum += lap;
      lapSq += lap * lap;
      count++;
    }
  }
  const mean = count > 0 ? lapSum / count : 0;
  return {
    brightness: pixels.length > 0 ? sum / pixels.length : 0,
    sharpness: count > 0 ? lapSq / count - mean * mean : 0,
  };
}

let scratch = new Uint8Array(0);

/**
 * `measureGrey(greySample(rgb, …))` in one go, with the same result to the last bit (every sum is of
 * integers, exact in a double): the greyscale image goes into a buffer kept between calls and the
 * Laplacian walks it once. It runs on the event loop for every upload, so it is kept lean.
 */
export function measureRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels: number,
  targetWidth = MEASURE_WIDTH,
): ImageMeasures {
  const step = Math.max(1, Math.floor(width / targetWidth));
  const w = Math.floor(width / step);
  const h = Math.floor(height / step);
  if (scratch.length < w * h) scratch = new Uint8Array(w * h);
  const grey = scratch;
  const stride = step * channels;
  let sum = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let i = y * step * width * channels;
    for (let x = 0; x < w; x++, i += stride) {
      const luma = (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
      grey[row + x] = luma;
      sum += luma;
    }
  }
  let lapSum = 0;
  let lapSq = 0;
  for (let y = 1; y < h - 1; y++) {
    const row = y * w;
    let left = grey[row]!;
    let centre = grey[row + 1]!;
    for (let x = 1; x < w - 1; x++) {
      const i = row + x;
      const right = grey[i + 1]!;
      const lap = left + right + grey[i - w]! + grey[i + w]! - 4 * centre;
      lapSum += lap;
      lapSq += lap * lap;
      left = centre;
      centre = right;
    }
  }
  const count = w > 2 && h > 2 ? (w - 2) * (h - 2) : 0;
  const mean = count > 0 ? lapSum / count : 0;
  return {
    brightness: w * h > 0 ? sum / (w * h) : 0,
    sharpness: count > 0 ? lapSq / count - mean * mean : 0,
  };
}
