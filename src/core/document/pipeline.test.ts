import { describe, expect, it } from 'vitest';
import type { DetectorOutputs } from './decode.js';
import { ID1_ASPECT, TD3_ASPECT } from './geometry.js';
import type { Quad } from './geometry.js';
import { DOCUMENT_ANALYSIS_WIDTH, analysisSize, analyzeDocumentFrame } from './pipeline.js';
import { fillInputTensor, letterbox, sourceToInput, type Letterbox } from './preprocess.js';
import { DEFAULT_SECOND_LOOK, secondLookWindow } from './second-look.js';
import { unturnedInputSize, type QuarterTurns } from './upright.js';
import { DEFAULT_DOCUMENT_THRESHOLDS } from './rules.js';
import { detection, rectQuad } from './test-helpers.js';

const W = 640;
const H = 480;

/** A frame with a detailed card (black/white stripes) over a mid-grey desk. */
function frame(q: Quad, channels: 3 | 4 = 4): Uint8ClampedArray {
  const px = new Uint8ClampedArray(W * H * channels);
  const [tl, , br] = q;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inDoc = x >= tl.x && x < br.x && y >= tl.y && y < br.y;
      const v = inDoc ? (x % 6 < 3 ? 40 : 210) : 110;
      const o = (y * W + x) * channels;
      px[o] = v;
      px[o + 1] = v;
      px[o + 2] = v;
      if (channels === 4) px[o + 3] = 255;
    }
  }
  return px;
}

/** A stand-in for the network that "finds" the given quad with the given presence. */
function fakeDetector(
  q: Quad,
  presence: number,
  seen: Float32Array[] = [],
  lb: Letterbox = letterbox(W, H),
  inside: readonly number[] = [0.9, 0.9, 0.9, 0.9],
) {
  return async (input: Float32Array): Promise<DetectorOutputs> => {
    seen.push(input.slice());
    const corners = new Float32Array(8);
    q.forEach((p, i) => {
      const t = sourceToInput(lb, p.x, p.y);
      corners[2 * i] = t.x / lb.dstWidth;
      corners[2 * i + 1] = t.y / lb.dstHeight;
    });
    return { presence: [presence], inside, corners, coarse: corners };
  };
}

/** A frame with a plain card whose top as read, on the given side on screen, is a dark band. */
function bandedFrame(q: Quad, band: 'top' | 'right' | 'bottom' | 'left'): Uint8ClampedArray {
  const px = new Uint8ClampedArray(W * H * 4);
  const [tl, , br] = q;
  const depth = 0.2 * Math.min(br.x - tl.x, br.y - tl.y);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inDoc = x >= tl.x && x < br.x && y >= tl.y && y < br.y;
      const inBand = {
        top: y < tl.y + depth,
        right: x >= br.x - depth,
        bottom: y >= br.y - depth,
        left: x < tl.x + depth,
      }[band];
      const v = inDoc ? (inBand ? 30 : 210) : 110;
      px.fill(v, (y * W + x) * 4, (y * W + x) * 4 + 3);
      px[(y * W + x) * 4 + 3] = 255;
    }
  }
  return px;
}

/** Centroids (input pixels) of the band's dark and the card's light pixels in an input tensor. */
function centroids(t: Float32Array) {
  const sum = { band: { x: 0, y: 0, n: 0 }, document: { x: 0, y: 0, n: 0 } };
  for (let y = 0; y < 120; y++) {
    for (let x = 0; x < 160; x++) {
      const v = t[y * 160 + x]! * 255;
      const c = v < 70 ? sum.band : v > 170 ? sum.document : null;
      if (c) {
        c.x += x;
        c.y += y;
        c.n++;
      }
    }
  }
  const at = (c: { x: number; y: number; n: number }) => ({ x: c.x / c.n, y: c.y / c.n });
  return { band: at(sum.band), document: at(sum.document) };
}

/**
 * A stand-in for the network on a window turned upright: it "finds" the quad where the turned input
 * shows it (the inverse of unturnOutputs).
 */
function fakeUprightDetector(q: Quad, window: Letterbox, turns: QuarterTurns, seen: Float32Array[]) {
  return async (input: Float32Array): Promise<DetectorOutputs> => {
    seen.push(input.slice());
    const corners = new Float32Array(8);
    q.forEach((p, i) => {
      const t = sourceToInput(window, p.x, p.y);
      const [x, y] = [t.x / window.dstWidth, t.y / window.dstHeight];
      const turned = [
        [x, y],
        [y, 1 - x],
        [1 - x, 1 - y],
        [1 - y, x],
      ][turns]!;
      corners[2 * i] = turned[0]!;
      corners[2 * i + 1] = turned[1]!;
    });
    return { presence: [0.9], inside: [0.9, 0.9, 0.9, 0.9], corners, coarse: corners };
  };
}

describe('analyzeDocumentFrame', () => {
  const card = rectQuad(320, 240, 420, 420 / ID1_ASPECT);

  it('runs pre-processing, the detector, statistics and rules in one pass', async () => {
    const seen: Float32Array[] = [];
    const a = await analyzeDocumentFrame(
      { pixels: frame(card), width: W, height: H },
      fakeDetector(card, 0.95, seen),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toHaveLength(3 * 160 * 120);
    // The desk's grey reaches the tensor unchanged (area averaging of a flat region).
    expect(seen[0]![0]).toBeCloseTo(110 / 255, 5);
    expect(a.detection.present).toBe(true);
    expect(a.detection.corners[0].x).toBeCloseTo(card[0].x, 3);
    expect(a.detection.corners[2].y).toBeCloseTo(card[2].y, 3);
    expect(a.stats).not.toBeNull();
    expect(a.stats!.meanLuma).toBeGreaterThan(100);
    expect(a.stats!.sharpness).toBeGreaterThan(1000);
    expect(a.quality.code).toBe('ok');
    expect(a.quality.measures.shape).toBe('id1');
    expect(a.timings.totalMs).toBeGreaterThanOrEqual(a.timings.inferenceMs);
  });

  it('accepts RGB frames the same as RGBA', async () => {
    const rgba = await analyzeDocumentFrame(
      { pixels: frame(card), width: W, height: H },
      fakeDetector(card, 0.95),
    );
    const rgb = await analyzeDocumentFrame(
      { pixels: frame(card, 3), width: W, height: H, channels: 3 },
      fakeDetector(card, 0.95),
    );
    expect(rgb.stats).toEqual(rgba.stats);
    expect(rgb.quality).toEqual(rgba.quality);
  });

  it('measures nothing inside a document that is not there', async () => {
    const a = await analyzeDocumentFrame(
      { pixels: frame(card), width: W, height: H },
      fakeDetector(card, 0.2),
    );
    expect(a.detection.present).toBe(false);
    expect(a.stats).toBeNull();
    expect(a.quality.code).toBe('no_document');
  });

  it('rectifies a passport page at its own aspect', async () => {
    const page = rectQuad(320, 240, 400, 400 / TD3_ASPECT);
    const a = await analyzeDocumentFrame(
      { pixels: frame(page), width: W, height: H },
      fakeDetector(page, 0.9),
    );
    expect(a.quality.measures.shape).toBe('td3');
    expect(a.stats!.visibleFraction).toBe(1);
  });

  it('asks to hold still when the recent corners moved', async () => {
    const moved = rectQuad(300, 230, 420, 420 / ID1_ASPECT);
    const a = await analyzeDocumentFrame(
      { pixels: frame(card), width: W, height: H },
      fakeDetector(card, 0.95),
      {
        recent: [moved, moved, moved],
      },
    );
    expect(a.quality.codes).toContain('hold_still');
  });

  it('honours the presence threshold of the thresholds table', async () => {
    const a = await analyzeDocumentFrame(
      { pixels: frame(card), width: W, height: H },
      fakeDetector(card, 0.6),
      {
        thresholds: { ...DEFAULT_DOCUMENT_THRESHOLDS, minPresence: 0.7 },
      },
    );
    expect(a.detection.present).toBe(false);
    expect(a.quality.code).toBe('no_document');
  });

  it('takes a second look at a window around the document when asked, and keeps its corners', async () => {
    const pixels = frame(card);
    const window = secondLookWindow(detection(card, 0.95), W, H)!;
    const finer = rectQuad(321, 239, 424, 424 / ID1_ASPECT);
    const seen: Float32Array[] = [];
    const looks = [fakeDetector(card, 0.95, seen), fakeDetector(finer, 0.9, seen, window)];
    let call = 0;
    const a = await analyzeDocumentFrame({ pixels, width: W, height: H }, (t) => looks[call++]!(t), {
      secondLook: true,
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(fillInputTensor(pixels, window));
    expect(a.detection.secondLook).toEqual({ confidence: 0.9, refined: true });
    a.detection.corners.forEach((p, i) => expect(p.x).toBeCloseTo(finer[i]!.x, 3));
    expect(a.timings.secondLookMs).toBeGreaterThanOrEqual(0);
  });

  it('turns the window so that a document read turned stands upright in it, and turns its corners back', async () => {
    // The card's top as read is a dark band; the first look reads the card turned by `turns` quarters.
    const cases: { turns: QuarterTurns; rect: Quad; band: 'top' | 'right' | 'bottom' | 'left' }[] = [
      { turns: 2, rect: card, band: 'bottom' },
      { turns: 1, rect: rectQuad(320, 240, 420 / ID1_ASPECT, 420), band: 'right' },
      { turns: 3, rect: rectQuad(320, 240, 420 / ID1_ASPECT, 420), band: 'left' },
    ];
    for (const { turns, rect, band } of cases) {
      const [tl, tr, br, bl] = rect;
      const asRead: Quad = {
        bottom: [br, bl, tl, tr],
        right: [tr, br, bl, tl],
        left: [bl, tl, tr, br],
        top: rect,
      }[band] as Quad;
      const pixels = bandedFrame(rect, band);
      const first = detection(asRead, 0.95);
      const window = secondLookWindow(first, W, H, DEFAULT_SECOND_LOOK, unturnedInputSize(turns))!;
      const seen: Float32Array[] = [];
      const looks = [fakeDetector(asRead, 0.95, seen), fakeUprightDetector(asRead, window, turns, seen)];
      let call = 0;
      const a = await analyzeDocumentFrame({ pixels, width: W, height: H }, (t) => looks[call++]!(t), {
        secondLook: true,
      });
      // The network saw the card upright: its band above its middle.
      const { band: dark, document: light } = centroids(seen[1]!);
      expect(light.y - dark.y, `turns ${turns}`).toBeGreaterThan(10);
      expect(Math.abs(light.x - dark.x), `turns ${turns}`).toBeLessThan(3);
      expect(a.detection.secondLook?.refined).toBe(true);
      a.detection.corners.forEach((p, i) => {
        expect(Math.hypot(p.x - asRead[i]!.x, p.y - asRead[i]!.y), `turns ${turns}`).toBeLessThan(1e-3);
      });
    }
  });

  it('moves the corners onto the document’s edges when asked, and judges them inside by where the sides meet', async () => {
    // The network is 5-7 pixels off and doubts its top-right corner is in the frame.
    const off: Quad = [
      { x: card[0].x + 6, y: card[0].y - 5 },
      { x: card[1].x - 5, y: card[1].y + 6 },
      { x: card[2].x + 7, y: card[2].y + 4 },
      { x: card[3].x - 6, y: card[3].y - 5 },
    ];
    const doubtful = [0.9, 0.2, 0.9, 0.9];
    // A plain card border around the striped print, as cards have.
    const pixels = frame(card);
    const [tl, , br] = card;
    const inset = 40;
    for (let y = Math.ceil(tl.y); y < br.y; y++) {
      for (let x = Math.ceil(tl.x); x < br.x; x++) {
        if (x < tl.x + inset || x >= br.x - inset || y < tl.y + inset || y >= br.y - inset) {
          pixels.fill(200, (y * W + x) * 4, (y * W + x) * 4 + 3);
        }
      }
    }
    const infer = fakeDetector(off, 0.95, [], letterbox(W, H), doubtful);
    const plain = await analyzeDocumentFrame({ pixels, width: W, height: H }, infer);
    expect(plain.detection.inside).toEqual([true, false, true, true]);
    const a = await analyzeDocumentFrame({ pixels, width: W, height: H }, infer, { refineEdges: true });
    // The frame is drawn in whole pixels: the card's edges lie at the next whole coordinate.
    a.detection.corners.forEach((p, i) => {
      expect(Math.hypot(p.x - Math.ceil(card[i]!.x), p.y - Math.ceil(card[i]!.y))).toBeLessThan(0.3);
    });
    expect(a.detection.inside).toEqual([true, true, true, true]);
  });
});

describe('analysisSize', () => {
  it('keeps frames up to the analysis width and scales wider ones with their aspect', () => {
    expect(analysisSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(analysisSize(320, 240)).toEqual({ width: 320, height: 240 });
    expect(analysisSize(641, 480)).toEqual({ width: DOCUMENT_ANALYSIS_WIDTH, height: 479 });
    expect(analysisSize(4032, 3024)).toEqual({ width: 640, height: 480 });
    expect(analysisSize(3024, 4032)).toEqual({ width: 640, height: 853 });
  });
});
