/** Decoded pixels and the few operations the reader needs on them. */
import sharp from 'sharp';

/** 8-bit RGB, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export async function decodeRgb(bytes: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, { failOn: 'none' })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

/** One luma plane (BT.601), for sampling crops. */
export interface GreyImage {
  data: Float32Array;
  width: number;
  height: number;
}

export function greyOf(image: RgbImage): GreyImage {
  const { data, width, height } = image;
  const grey = new Float32Array(width * height);
  for (let i = 0, o = 0; i < grey.length; i++, o += 3) {
    grey[i] = 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
  }
  return { data: grey, width, height };
}

/** Bilinear sample at a fractional position; white outside the image. */
export function sampleGrey(image: GreyImage, x: number, y: number): number {
  const { width, height, data } = image;
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) return 255;
  const x0 = Math.min(width - 2, Math.floor(x));
  const y0 = Math.min(height - 2, Math.floor(y));
  const fx = x - x0;
  const fy = y - y0;
  const o = y0 * width + x0;
  const top = data[o]! + (data[o + 1]! - data[o]!) * fx;
  const bottom = data[o + width]! + (data[o + width + 1]! - data[o + width]!) * fx;
  return top + (bottom - top) * fy;
}
