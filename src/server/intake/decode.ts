/**
 * Decoding and re-encoding with sharp. libvips checks the pixel count in the header before it decodes any
 * pixel (`limitInputPixels`), so oversized images are refused without being decoded; the stored copy is a
 * fresh JPEG with no metadata (EXIF, GPS, ICC, XMP are all dropped) and the orientation applied to the
 * pixels.
 */
import sharp, { type OutputInfo } from 'sharp';
import { ApiError, unprocessable } from '../errors.js';
import { measureRgb, type ImageMeasures } from './measure.js';
import { sniffImageFormat, type ImageFormat } from './sniff.js';

/** Longest side of the stored image: enough for document checks, bounded for storage. */
export const STORED_MAX_SIDE = 1920;
const STORED_QUALITY = 90;

export interface DecodedImage {
  format: ImageFormat;
  jpeg: Buffer;
  width: number;
  height: number;
  measures: ImageMeasures;
}

export async function decodeUpload(body: Buffer, maxPixels: number): Promise<DecodedImage> {
  const format = sniffImageFormat(body);
  if (!format) {
    throw new ApiError(
      415,
      'invalid_request_error',
      'unsupported_media_type',
      'The upload is not a JPEG, PNG or WebP image.',
    );
  }
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // failOn 'warning' refuses truncated or corrupt data rather than storing a half-grey picture.
    decoded = await sharp(body, { failOn: 'warning', limitInputPixels: maxPixels })
      .rotate()
      .resize({ width: STORED_MAX_SIDE, height: STORED_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw await whyUndecodable(body, maxPixels);
  }
  const { width, height, channels } = decoded.info;
  try {
    // The encoder runs on libvips' threads while the measures are taken here on the decoded pixels.
    const encoding = sharp(decoded.data, { raw: { width, height, channels } })
      .jpeg({ quality: STORED_QUALITY })
      .toBuffer();
    const measures = measureRgb(decoded.data, width, height, channels);
    return { format, jpeg: await encoding, width, height, measures };
  } catch {
    throw unprocessable('image_corrupt', 'The image data is truncated or corrupt.');
  }
}

/**
 * Why an image did not decode, from its header alone (read only then: on the way in, reading it first
 * would cost every upload another trip through the thread pool).
 */
async function whyUndecodable(body: Buffer, maxPixels: number): Promise<ApiError> {
  let width: number;
  let height: number;
  try {
    ({ width = 0, height = 0 } = await sharp(body, { limitInputPixels: false }).metadata());
  } catch {
    return unprocessable('image_unreadable', 'The image header could not be read.');
  }
  if (width === 0 || height === 0) return unprocessable('image_unreadable', 'The image has no dimensions.');
  if (width * height > maxPixels) {
    return unprocessable(
      'image_too_many_pixels',
      `The image is ${width}×${height}; at most ${maxPixels.toLocaleString('en')} pixels are accepted.`,
    );
  }
  return unprocessable('image_corrupt', 'The image data is truncated or corrupt.');
}
