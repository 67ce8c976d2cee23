import { describe, expect, it } from 'vitest';
import {
  DETECTOR_PAD_VALUE,
  fillInputTensor,
  inputToSource,
  letterbox,
  sourceToInput,
  windowPlacement,
} from './preprocess.js';

function solid(w: number, h: number, rgb: [number, number, number]): Uint8ClampedArray {
  const a = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) a.set([...rgb, 255], i * 4);
  return a;
}

describe('letterbox', () => {
  it('fills the input exactly for 4:3 frames', () => {
    expect(letterbox(640, 480)).toMatchObject({
      offsetX: 0,
      offsetY: 0,
      contentWidth: 160,
      contentHeight: 120,
    });
  });
  it('adds bars above and below 16:9 frames and beside portrait frames', () => {
    expect(letterbox(1280, 720)).toMatchObject({
      offsetX: 0,
      offsetY: 15,
      contentWidth: 160,
      contentHeight: 90,
    });
    expect(letterbox(480, 640)).toMatchObject({
      offsetX: 35,
      offsetY: 0,
      contentWidth: 90,
      contentHeight: 120,
    });
  });
  it('refuses empty sizes', () => {
    expect(() => letterbox(0, 480)).toThrow(RangeError);
  });
  it('maps points both ways', () => {
    const lb = letterbox(1280, 720);
    const p = sourceToInput(lb, 1000, 100);
    const back = inputToSource(lb, p.x, p.y);
    expect(back.x).toBeCloseTo(1000, 9);
    expect(back.y).toBeCloseTo(100, 9);
    expect(inputToSource(lb, 0, 15)).toEqual({ x: 0, y: 0 });
    expect(inputToSource(lb, 160, 105)).toEqual({ x: 1280, y: 720 });
  });
});

describe('fillInputTensor', () => {
  it('writes planar RGB in [0, 1] and pads the bars', () => {
    const lb = letterbox(320, 180);
    const t = fillInputTensor(solid(320, 180, [255, 0, 51]), lb);
    const plane = 160 * 120;
    expect(t.length).toBe(3 * plane);
    const inside = 60 * 160 + 80;
    expect(t[inside]).toBeCloseTo(1, 6);
    expect(t[plane + inside]).toBeCloseTo(0, 6);
    expect(t[2 * plane + inside]).toBeCloseTo(0.2, 6);
    expect(t[0]).toBeCloseTo(DETECTOR_PAD_VALUE / 255, 6);
    expect(t[14 * 160]).toBeCloseTo(DETECTOR_PAD_VALUE / 255, 6);
    expect(t[15 * 160]).toBeCloseTo(1, 6);
  });

  it('averages the source pixels an output pixel covers', () => {
    // 640×480 → 160×120: each output pixel is the mean of a 4×4 block.
    const w = 640;
    const h = 480;
    const a = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) a[(y * w + x) * 4] = (x + y) % 2 ? 200 : 0;
    const t = fillInputTensor(a, letterbox(w, h));
    expect(t[0]).toBeCloseTo(100 / 255, 6);
    expect(t[12345]).toBeCloseTo(100 / 255, 6);
  });

  it('accepts RGB buffers and upsamples small frames', () => {
    const rgb = new Uint8Array(80 * 60 * 3).fill(128);
    const t = fillInputTensor(rgb, letterbox(80, 60), undefined, 3);
    expect(t[100]).toBeCloseTo(128 / 255, 6);
  });

  it('averages whole f × g blocks exactly where the frame is a multiple of the input (16:9 with bars too)', () => {
    for (const [w, h] of [
      [640, 480],
      [1280, 720],
    ] as const) {
      const pixels = new Uint8ClampedArray(w * h * 4).map((_, i) => (i * 7919) % 256);
      const lb = letterbox(w, h);
      const tensor = fillInputTensor(pixels, lb);
      const f = w / lb.contentWidth;
      const plane = 160 * 120;
      let worst = 0;
      for (let y = 0; y < lb.contentHeight; y++) {
        for (let x = 0; x < lb.contentWidth; x++) {
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            for (let dy = 0; dy < f; dy++)
              for (let dx = 0; dx < f; dx++) sum += pixels[((y * f + dy) * w + x * f + dx) * 4 + c]!;
            const got = tensor[c * plane + (lb.offsetY + y) * 160 + lb.offsetX + x]!;
            worst = Math.max(worst, Math.abs(got - sum / (f * f) / 255));
          }
        }
      }
      expect(worst, `${w}×${h}`).toBeLessThan(1e-6);
    }
  });

  it('refuses a buffer smaller than the frame', () => {
    expect(() => fillInputTensor(new Uint8Array(10), letterbox(640, 480))).toThrow(RangeError);
  });
});

describe('windowPlacement', () => {
  it('maps the window onto the whole input, both ways', () => {
    const win = windowPlacement(640, 480, { x: 100, y: 50, width: 320, height: 240 });
    expect(inputToSource(win, 0, 0)).toEqual({ x: 100, y: 50 });
    expect(inputToSource(win, 160, 120)).toEqual({ x: 420, y: 290 });
    const p = sourceToInput(win, 250.5, 130.25);
    const back = inputToSource(win, p.x, p.y);
    expect(back.x).toBeCloseTo(250.5, 9);
    expect(back.y).toBeCloseTo(130.25, 9);
  });

  it('fills the input with the area mean of each window cell, at fractional offsets', () => {
    const w = 640;
    const h = 480;
    const a = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h * 4; i++) a[i] = (i * 7919) % 251;
    // 1.5 source pixels per input pixel, starting half-way into a pixel.
    const win = { x: 100.5, y: 40.25, width: 240, height: 180 };
    const t = fillInputTensor(a, windowPlacement(w, h, win));
    const naive = (ix: number, iy: number, c: number) => {
      let sum = 0;
      const s = win.width / 160;
      const [x0, y0] = [win.x + ix * s, win.y + iy * s];
      for (let y = Math.floor(y0); y < Math.ceil(y0 + s); y++) {
        for (let x = Math.floor(x0); x < Math.ceil(x0 + s); x++) {
          const wx = Math.min(x0 + s, x + 1) - Math.max(x0, x);
          const wy = Math.min(y0 + s, y + 1) - Math.max(y0, y);
          sum += wx * wy * a[(y * w + x) * 4 + c]!;
        }
      }
      return sum / (s * s) / 255;
    };
    for (const [ix, iy] of [
      [0, 0],
      [77, 31],
      [159, 119],
    ] as const) {
      for (let c = 0; c < 3; c++) expect(t[c * 19200 + iy * 160 + ix]).toBeCloseTo(naive(ix, iy, c), 5);
    }
  });

  it('pads where the window overhangs the frame, blending a partly covered cell', () => {
    // A white 400 × 100 frame seen through a window 2 source pixels per input pixel that starts 41
    // source pixels above it: input rows 0–19 are pad, row 20 is half pad, the rest white.
    const a = solid(400, 100, [255, 255, 255]);
    const t = fillInputTensor(a, windowPlacement(400, 100, { x: 0, y: -41, width: 320, height: 240 }));
    expect(t[10 * 160 + 5]).toBeCloseTo(DETECTOR_PAD_VALUE / 255, 6);
    expect(t[20 * 160 + 5]).toBeCloseTo((DETECTOR_PAD_VALUE + 255) / 2 / 255, 6);
    expect(t[40 * 160 + 5]).toBeCloseTo(1, 6);
    expect(t[71 * 160 + 5]).toBeCloseTo(DETECTOR_PAD_VALUE / 255, 6);
  });
});
