import { measureRegion, rgbaToLuma } from '../../core/face/region-stats.js';
import type { Box, RegionStats } from '../../core/face/types.js';

/** Side of the square grey crop the face-region statistics are measured on. */
export const REGION_SIDE = 64;

let canvas: OffscreenCanvas | undefined;
let context: OffscreenCanvasRenderingContext2D | null = null;

/**
 * Measures brightness and sharpness of `box` in `bitmap` on a fixed-size crop, so thresholds do not
 * depend on the camera resolution or the face size.
 */
export function measureFaceRegion(bitmap: ImageBitmap, box: Box): RegionStats | null {
  const x = Math.max(0, box.x);
  const y = Math.max(0, box.y);
  const width = Math.min(bitmap.width, box.x + box.width) - x;
  const height = Math.min(bitmap.height, box.y + box.height) - y;
  if (width < 4 || height < 4) return null;
  if (!canvas) {
    canvas = new OffscreenCanvas(REGION_SIDE, REGION_SIDE);
    context = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!context) return null;
  context.drawImage(bitmap, x, y, width, height, 0, 0, REGION_SIDE, REGION_SIDE);
  const pixels = context.getImageData(0, 0, REGION_SIDE, REGION_SIDE).data;
  return measureRegion(rgbaToLuma(pixels, REGION_SIDE, REGION_SIDE), REGION_SIDE, REGION_SIDE);
}
