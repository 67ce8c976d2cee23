/**
 * Decoding and re-encoding with sharp. The header is read first so that oversized images are refused
 * before any pixel is decoded; the stored copy is a fresh JPEG with no metadata (EXIF, GPS, ICC, XMP are
 * all dropped) and the orientation applied to the pixels.
 */
import sharp, { type Metadata } from 'sharp';
import { ApiError, unprocessable } from '../errors.js';
import { greySample, measureGrey, type ImageMeasures } from './measure.js';
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
  let header: Metadata;
  try {
    // Header only, no pixels decoded; the size limit is ours to apply, just below, with a clear answer.
    header = await sharp(body, { limitInputPixels: false }).metadata();
  } catch {
    throw unprocessable('image_unreadable', 'The image header could not be read.');
  }
  const { width = 0, height = 0 } = header;
  if (width === 0 || height === 0) throw unprocessable('image_unreadable', 'The image has no dimensions.');
  if (width * height > maxPixels) {
    throw unprocessable(
      'image_too_many_pixels',
      `The image is ${width}×${height}; at most ${maxPixels.toLocaleString('en')} pixels are accepted.`,
    );
  }

  try {
    // failOn 'warning' refuses truncated or corrupt data rather than storing a half-grey picture.
    const decoded = await sharp(body, { failOn: 'warning', limitInputPixels: maxPixels })
      .rotate()
      .resize({ width: STORED_MAX_SIDE, height: STORED_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width: outWidth, height: outHeight, channels } = decoded.info;
    // The encoder runs on libvips' threads while the measures are taken here on the decoded pixels.
    const encoding = sharp(decoded.data, { raw: { width: outWidth, height: outHeight, channels } })
      .jpeg({ quality: STORED_QUALITY })
      .toBuffer();
    const grey = greySample(decoded.data, outWidth, outHeight, channels);
    const measures = measureGrey(grey.pixels, grey.width, grey.height);
    return { format, jpeg: await encoding, width: outWidth, height: outHeight, measures };
  } catch {
    throw unprocessable('image_corrupt', 'The image data is truncated or corrupt.');
  }
}
