import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { encodeQr } from './qr.js';

/** The same code from the `qrcode` package: one byte segment, level M, mask 2. */
function reference(data: Uint8Array) {
  return QRCode.create([{ data: Buffer.from(data), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
    maskPattern: 2,
  });
}

describe('encodeQr', () => {
  it('matches the qrcode package module for module, in every version, at each capacity boundary', () => {
    const versions = new Set<number>();
    let previous = 0;
    for (let length = 0; length <= 2331; length++) {
      const version = reference(new Uint8Array(length)).version;
      // The longest payload of a version, the shortest of the next, and random content in each.
      if (version !== previous || length === 2331) {
        for (const n of [length - 1, length]) {
          if (n < 0) continue;
          const data = randomBytes(n);
          const expected = reference(data);
          const code = encodeQr(data);
          expect(code.size).toBe(expected.modules.size);
          expect(Buffer.from(code.modules).equals(Buffer.from(expected.modules.data))).toBe(true);
          versions.add(expected.version);
        }
        previous = version;
      }
    }
    expect(versions.size).toBe(40);
  });

  it('refuses data that no version holds', () => {
    expect(() => encodeQr(new Uint8Array(2332))).toThrow(/do not fit/);
  });
});
