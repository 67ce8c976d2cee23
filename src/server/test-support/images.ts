/** Test images made from the shared fixtures, plus deliberately broken ones. */
import { deflateSync } from 'node:zlib';
import { resolve } from 'node:path';
import sharp from 'sharp';

export const FIXTURES = resolve(import.meta.dirname, '../../../../shared/fixtures');

export async function fixtureJpeg(name = 'astronaut', width = 640, height = 480): Promise<Buffer> {
  return sharp(`${FIXTURES}/${name}.png`)
    .resize(width, height, { fit: 'cover' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

export async function jpegWithExif(): Promise<Buffer> {
  return sharp(`${FIXTURES}/astronaut.png`)
    .resize(640, 480, { fit: 'cover' })
    .withExif({ IFD0: { Make: 'TestCam', Model: 'GPS-Leaker', Copyright: 'secret' } })
    .jpeg()
    .toBuffer();
}

export async function darkJpeg(): Promise<Buffer> {
  return sharp(`${FIXTURES}/astronaut.png`).resize(640, 480).linear(0.1, 0).jpeg().toBuffer();
}

export async function blurryJpeg(): Promise<Buffer> {
  return sharp(`${FIXTURES}/astronaut.png`).resize(640, 480).blur(6).jpeg().toBuffer();
}

/** The first 60% of a valid JPEG: a header that reads, data that ends early. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await fixtureJpeg();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small, well-formed PNG whose header claims `width`×`height` (a pixel flood). */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
