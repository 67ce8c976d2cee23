import { describe, expect, it } from 'vitest';
import type { DetectorOutputs } from './decode.js';
import type { Quad } from './geometry.js';
import { inputToSource, sourceToInput, type Letterbox } from './preprocess.js';
import { DEFAULT_SECOND_LOOK, combineLooks, secondLookWindow } from './second-look.js';
import { detection, rectQuad } from './test-helpers.js';

const W = 640;
const H = 480;

/** The window's rectangle in frame pixels. */
function rect(win: Letterbox) {
  const a = inputToSource(win, 0, 0);
  const b = inputToSource(win, win.dstWidth, win.dstHeight);
  return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
}

/** Network outputs that put the quad's corners where the window shows them. */
function outputsIn(
  win: Letterbox,
  q: Quad,
  presence: number,
  inside = [0.9, 0.9, 0.9, 0.9],
): DetectorOutputs {
  const corners = new Float32Array(8);
  q.forEach((p, i) => {
    const t = sourceToInput(win, p.x, p.y);
    corners[2 * i] = t.x / win.dstWidth;
    corners[2 * i + 1] = t.y / win.dstHeight;
  });
  return { presence: [presence], inside, corners, coarse: corners };
}

describe('secondLookWindow', () => {
  it('frames the document at the input aspect with the margin on its longer side', () => {
    const card = rectQuad(300, 200, 200, 126);
    const r = rect(secondLookWindow(detection(card), W, H)!);
    expect(r.width).toBeCloseTo(200 * (1 + 2 * DEFAULT_SECOND_LOOK.margin), 6);
    expect(r.width / r.height).toBeCloseTo(4 / 3, 9);
    expect(r.x + r.width / 2).toBeCloseTo(300, 6);
    expect(r.y + r.height / 2).toBeCloseTo(200, 6);
  });

  it('grows with a tall bounding box so that the height has the margin too', () => {
    const upright = rectQuad(300, 240, 126, 200);
    const r = rect(secondLookWindow(detection(upright), W, H)!);
    expect(r.height).toBeCloseTo(200 * 1.2, 6);
  });

  it('takes a portrait window for a document read a quarter turn (an input turned on its side)', () => {
    const upright = rectQuad(300, 240, 126, 200);
    const win = secondLookWindow(detection(upright), W, H, DEFAULT_SECOND_LOOK, { width: 120, height: 160 })!;
    expect([win.dstWidth, win.dstHeight]).toEqual([120, 160]);
    const r = rect(win);
    expect(r.height).toBeCloseTo(200 * (1 + 2 * DEFAULT_SECOND_LOOK.margin), 6);
    expect(r.width / r.height).toBeCloseTo(3 / 4, 9);
  });

  it('never enlarges the frame: the window is at least as wide as the input', () => {
    const tiny = rectQuad(300, 200, 40, 25);
    const r = rect(secondLookWindow(detection(tiny), W, H)!);
    expect(r.width).toBeCloseTo(160, 9);
    expect(r.height).toBeCloseTo(120, 9);
  });

  it('slides inside the frame near an edge rather than showing padding', () => {
    const nearCorner = rectQuad(110, 70, 200, 126);
    const r = rect(secondLookWindow(detection(nearCorner), W, H)!);
    expect(r.x).toBeCloseTo(0, 9);
    expect(r.y).toBeCloseTo(0, 9);
    const nearRight = rectQuad(570, 430, 150, 95);
    const s = rect(secondLookWindow(detection(nearRight), W, H)!);
    expect(s.x + s.width).toBeCloseTo(W, 9);
    expect(s.y + s.height).toBeCloseTo(H, 9);
  });

  it('centres a window taller than a wide frame and pads it above and below', () => {
    const r = rect(secondLookWindow(detection(rectQuad(500, 180, 300, 330)), 1280, 360)!);
    expect(r.height).toBeGreaterThan(360);
    expect(r.y).toBeCloseTo((360 - r.height) / 2, 9);
  });

  it('is not taken when the window would cover the whole frame', () => {
    expect(secondLookWindow(detection(rectQuad(320, 240, 560, 353)), W, H)).toBeNull();
  });

  it('is taken from the first-look presence it asks for, not below', () => {
    const card = rectQuad(300, 200, 200, 126);
    const edge = DEFAULT_SECOND_LOOK.firstLookMinPresence;
    expect(secondLookWindow(detection(card, edge), W, H)).not.toBeNull();
    expect(secondLookWindow(detection(card, edge - 1e-6), W, H)).toBeNull();
  });
});

describe('combineLooks', () => {
  const card = rectQuad(300, 200, 200, 126);
  const finer = rectQuad(301.5, 199, 203, 127);
  const win = secondLookWindow(detection(card), W, H)!;

  it("takes the window's corners when it sees all four inside", () => {
    const d = combineLooks(detection(card), outputsIn(win, finer, 0.9), win);
    d.corners.forEach((p, i) => {
      expect(p.x).toBeCloseTo(finer[i]!.x, 3);
      expect(p.y).toBeCloseTo(finer[i]!.y, 3);
    });
    expect(d.secondLook).toEqual({ confidence: 0.9, refined: true });
    expect(d.present).toBe(true);
  });

  it("keeps the first look's corners when the window loses one of them", () => {
    const d = combineLooks(detection(card), outputsIn(win, finer, 0.9, [0.9, 0.9, 0.4, 0.9]), win);
    expect(d.corners).toEqual(card);
    expect(d.secondLook?.refined).toBe(false);
  });

  it('takes a large correction in the same reading order', () => {
    const corrected: Quad = [{ x: card[0].x + 60, y: card[0].y + 20 }, card[1], card[2], card[3]];
    expect(combineLooks(detection(card), outputsIn(win, corrected, 0.9), win).secondLook?.refined).toBe(true);
  });

  it("keeps the first look's corners when the window's document is too small a part of it, at the edge", () => {
    const first = detection(card);
    // the card scaled by k on both sides has k² of its area
    const justLarge = Math.sqrt(DEFAULT_SECOND_LOOK.minAreaRatio + 1e-6);
    const justSmall = Math.sqrt(DEFAULT_SECOND_LOOK.minAreaRatio - 1e-6);
    const inner = (k: number) => rectQuad(300, 200, 200 * k, 126 * k);
    expect(combineLooks(first, outputsIn(win, inner(justLarge), 0.9), win).secondLook?.refined).toBe(true);
    const d = combineLooks(first, outputsIn(win, inner(justSmall), 0.9), win);
    expect(d.secondLook?.refined).toBe(false);
    expect(d.corners).toEqual(card);
    expect(d.present).toBe(true);
  });

  it("keeps the first look's corners and cut-off flags for a document cut off", () => {
    const first = detection(card, 0.9, [true, false, true, true]);
    const d = combineLooks(first, outputsIn(win, finer, 0.9), win);
    expect(d.corners).toEqual(card);
    expect(d.inside).toEqual([true, false, true, true]);
  });

  it('lets the window decide presence at the edge of its threshold, either way', () => {
    const edge = DEFAULT_SECOND_LOOK.minPresence;
    expect(combineLooks(detection(card, 0.3), outputsIn(win, finer, edge), win).present).toBe(true);
    expect(combineLooks(detection(card, 0.99), outputsIn(win, finer, edge - 1e-6), win).present).toBe(false);
  });

  it('judges a corner outside where the window does and places it within the edge margin of the frame', () => {
    // A card near the frame's right edge; the window, slid to that edge, doubts its top-right corner.
    const near = rectQuad(520, 200, 200, 126);
    const nearWin = secondLookWindow(detection(near), W, H)!;
    const margin = DEFAULT_SECOND_LOOK.cutOffMargin * Math.min(W, H);
    const doubt = [0.9, 0.3, 0.9, 0.9];
    const withTopRightAt = (x: number): Quad => [near[0], { x, y: near[1].y }, near[2], near[3]];
    const atEdge = combineLooks(
      detection(near),
      outputsIn(nearWin, withTopRightAt(W - margin + 0.01), 0.9, doubt),
      nearWin,
    );
    expect(atEdge.inside).toEqual([true, false, true, true]);
    const beyond = combineLooks(
      detection(near),
      outputsIn(nearWin, withTopRightAt(W + 30), 0.9, doubt),
      nearWin,
    );
    expect(beyond.inside).toEqual([true, false, true, true]);
    // Placed further inside than the margin, the window meant its own edge: the first look stands.
    const within = combineLooks(
      detection(near),
      outputsIn(nearWin, withTopRightAt(W - margin - 0.01), 0.9, doubt),
      nearWin,
    );
    expect(within.inside).toEqual([true, true, true, true]);
    // And a corner the window judges inside, wherever it puts it, stays inside.
    const sure = combineLooks(detection(near), outputsIn(nearWin, withTopRightAt(W + 30), 0.9), nearWin);
    expect(sure.inside).toEqual([true, true, true, true]);
  });
});
