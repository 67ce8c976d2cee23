/**
 * Quality measures the service takes itself (the device's own figures are only hints): mean brightness
 * and sharpness as the variance of the Laplacian, both on an 8-bit greyscale image of a fixed working
 * size so the figures do not depend on the upload's resolution.
 */

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
