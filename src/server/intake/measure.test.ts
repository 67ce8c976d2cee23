import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { blurryJpeg, darkJpeg, fixtureJpeg } from '../test-support/images.js';
import { greySample, measureGrey, measureRgb } from './measure.js';

function reference(rgb: Uint8Array, width: number, height: number, channels: number) {
  const grey = greySample(rgb, width, height, channels);
  return measureGrey(grey.pixels, grey.width, grey.height);
}

describe('measureRgb', () => {
  it('gives exactly the measures of greySample then measureGrey', async () => {
    const images = [
      await fixtureJpeg('astronaut', 1280, 800),
      await fixtureJpeg('coffee', 1920, 1080),
      await fixtureJpeg('astronaut', 641, 479),
      await darkJpeg(),
      await blurryJpeg(),
    ];
    for (const image of images) {
      for (const alpha of [false, true]) {
        const pipeline = alpha ? sharp(image).ensureAlpha() : sharp(image);
        const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
        expect(measureRgb(data, info.width, info.height, info.channels)).toEqual(
          reference(data, info.width, info.height, info.channels),
        );
      }
    }
    // Noise, and the degenerate sizes (nothing inside the border, a single row).
    for (const [width, height] of [
      [97, 61],
      [3, 3],
      [2, 5],
      [700, 1],
    ] as const) {
      const data = randomBytes(width * height * 3);
      expect(measureRgb(data, width, height, 3)).toEqual(reference(data, width, height, 3));
    }
  });
});
