/**
 * Videos for Chromium's fake camera (`--use-file-for-fake-video-capture`), made from the shared
 * fixtures. Y4M is simple enough to write directly: a header line, then per frame `FRAME\n` and the
 * I420 planes (BT.601 limited range, which is what Chromium's reader assumes).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { FIXTURES } from '../../src/server/test-support/images.js';

export const VIDEO_DIR = resolve(import.meta.dirname, '../.artifacts/videos');

/** A source picture region (in source pixels) scaled to fill the video frame. */
export interface Crop {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface VideoSpec {
  readonly name: string;
  readonly fixture: string;
  readonly width: number;
  readonly height: number;
  /** Region of the fixture to show; the whole picture (cover-fitted) when absent. */
  readonly crop?: Crop;
  /** Identical frames in the file (Chromium loops it at 30 fps). */
  readonly frames?: number;
}

function rgbToI420(rgb: Buffer, width: number, height: number): Buffer {
  const ySize = width * height;
  const cw = width / 2;
  const ch = height / 2;
  const out = Buffer.alloc(ySize + 2 * cw * ch);
  for (let i = 0; i < ySize; i += 1) {
    const r = rgb[i * 3] ?? 0;
    const g = rgb[i * 3 + 1] ?? 0;
    const b = rgb[i * 3 + 2] ?? 0;
    out[i] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
  }
  for (let y = 0; y < ch; y += 1) {
    for (let x = 0; x < cw; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const p = ((2 * y + dy) * width + 2 * x + dx) * 3;
        r += rgb[p] ?? 0;
        g += rgb[p + 1] ?? 0;
        b += rgb[p + 2] ?? 0;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      out[ySize + y * cw + x] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      out[ySize + cw * ch + y * cw + x] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return out;
}

/** Writes the video if it is not there yet and returns its path. */
export async function buildVideo(spec: VideoSpec): Promise<string> {
  const file = join(VIDEO_DIR, `${spec.name}-${spec.width}x${spec.height}.y4m`);
  if (existsSync(file)) return file;
  mkdirSync(VIDEO_DIR, { recursive: true });
  let image = sharp(join(FIXTURES, `${spec.fixture}.png`)).removeAlpha();
  if (spec.crop) image = image.extract(spec.crop);
  const rgb = await image.resize(spec.width, spec.height, { fit: 'cover' }).raw().toBuffer();
  const frame = Buffer.concat([Buffer.from('FRAME\n'), rgbToI420(rgb, spec.width, spec.height)]);
  const header = Buffer.from(`YUV4MPEG2 W${spec.width} H${spec.height} F30:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: spec.frames ?? 4 }, () => frame)]));
  return file;
}

/**
 * The astronaut's face framed as a selfie: centred in the oval guide and filling about 40% of the
 * frame height (the fixture's face box is about (177, 82, 95, 95) in a 512×512 picture).
 */
export function selfieCrop(aspect: number): Crop {
  const height = 240;
  const width = Math.round(height * aspect);
  return { left: Math.max(0, Math.round(224 - width / 2)), top: 20, width, height };
}

export const VIDEOS = {
  selfie640: { name: 'selfie', fixture: 'astronaut', width: 640, height: 480, crop: selfieCrop(4 / 3) },
  selfie1280: { name: 'selfie', fixture: 'astronaut', width: 1280, height: 720, crop: selfieCrop(16 / 9) },
  cat: { name: 'cat', fixture: 'chelsea', width: 640, height: 480 },
} satisfies Record<string, VideoSpec>;

/** Path a video will have once built (for launch options, which are read before the tests run). */
export function videoPath(spec: VideoSpec): string {
  return join(VIDEO_DIR, `${spec.name}-${spec.width}x${spec.height}.y4m`);
}
