import { describe, expect, it } from 'vitest';
import { ID1_ASPECT, TD3_ASPECT, quadAspectRatio, quadFill } from './geometry.js';
import type { Quad } from './geometry.js';
import {
  DEFAULT_DOCUMENT_THRESHOLDS,
  documentMotion,
  evaluateDocumentQuality,
  matchDocumentShape,
} from './rules.js';
import type { DocumentThresholds } from './rules.js';
import type { DocumentRegionStats } from './stats.js';
import { detection, rectQuad } from './test-helpers.js';

const W = 640;
const H = 480;
/** An ID-1 card filling about half of a 640×480 frame, centred. */
const card = rectQuad(320, 240, 500, 500 / ID1_ASPECT);
const goodStats: DocumentRegionStats = {
  meanLuma: 128,
  sharpness: 500,
  glareFraction: 0,
  largestGlareBlob: 0,
  visibleFraction: 1,
};

function run(
  over: Partial<DocumentThresholds> = {},
  q: Quad = card,
  extra: {
    stats?: DocumentRegionStats;
    recent?: readonly Quad[];
    confidence?: number;
    inside?: boolean[];
  } = {},
) {
  return evaluateDocumentQuality(
    {
      frameWidth: W,
      frameHeight: H,
      detection: detection(q, extra.confidence ?? 0.9, extra.inside ?? [true, true, true, true]),
      stats: extra.stats ?? goodStats,
      ...(extra.recent ? { recent: extra.recent } : {}),
    },
    { ...DEFAULT_DOCUMENT_THRESHOLDS, ...over },
  );
}

describe('evaluateDocumentQuality', () => {
  it('says ok for a well-framed, sharp, steady card', () => {
    const r = run({}, card, { recent: [card, card, card] });
    expect(r.code).toBe('ok');
    expect(r.codes).toEqual(['ok']);
    expect(r.measures.shape).toBe('id1');
    expect(r.measures.motion).toBe(0);
  });

  it('asks for a document when none is found or presence is below the threshold', () => {
    expect(evaluateDocumentQuality({ frameWidth: W, frameHeight: H, detection: null }).code).toBe(
      'no_document',
    );
    expect(run({ minPresence: 0.6 }, card, { confidence: 0.6 }).code).toBe('ok');
    expect(run({ minPresence: 0.6 }, card, { confidence: 0.5999 }).codes).toEqual(['no_document']);
  });

  it("takes the second look's verdict on presence where one was taken", () => {
    const judged = (firstConfidence: number, windowPresent: boolean) =>
      evaluateDocumentQuality({
        frameWidth: W,
        frameHeight: H,
        detection: {
          ...detection(card, firstConfidence),
          present: windowPresent,
          secondLook: { confidence: windowPresent ? 0.8 : 0.1, refined: false },
        },
        stats: goodStats,
      }).code;
    // the window turns away what the first look was sure of, and confirms what it was unsure of
    expect(judged(0.99, false)).toBe('no_document');
    expect(judged(0.3, true)).toBe('ok');
    expect(judged(0.99, true)).toBe('ok');
  });

  it('asks to move closer below the minimum fill, not at it', () => {
    const fill = quadFill(card, W, H);
    expect(run({ minFill: fill }).code).toBe('ok');
    expect(run({ minFill: fill + 1e-9 }).code).toBe('move_closer');
  });

  it('asks to move back above the maximum fill, not at it', () => {
    const fill = quadFill(card, W, H);
    expect(run({ maxFill: fill }).code).toBe('ok');
    expect(run({ maxFill: fill - 1e-9 }).code).toBe('move_back');
  });

  it('flags a corner inside the edge margin as cut off, and one on the margin as fine', () => {
    const edgeMargin = 1 / 32; // 15 px of a 480 px frame, exact in binary
    const w = 400;
    const h = w / ID1_ASPECT;
    const onMargin = rectQuad(15 + w / 2, 240, w, h);
    expect(onMargin[0].x).toBe(15);
    expect(run({ edgeMargin }, onMargin).code).toBe('ok');
    const within = rectQuad(14.99 + w / 2, 240, w, h);
    expect(run({ edgeMargin }, within).code).toBe('cut_off');
    const bottom = rectQuad(320, 480 - 15 - h / 2, w, h);
    expect(run({ edgeMargin }, bottom).code).toBe('ok');
    expect(run({ edgeMargin }, rectQuad(320, 480 - 14.99 - h / 2, w, h)).code).toBe('cut_off');
  });

  it('flags a corner the detector scored outside as cut off', () => {
    expect(run({}, card, { inside: [true, true, false, true] }).code).toBe('cut_off');
  });

  it('prefers move_back to cut_off when the document is too large', () => {
    const big = rectQuad(320, 240, 900, 900 / ID1_ASPECT);
    const r = run({}, big, { inside: [false, false, false, false] });
    expect(r.codes).toEqual(['move_back', 'cut_off']);
  });

  it('accepts ID-1 and TD3 shapes within the tolerance and refuses others', () => {
    const tol = DEFAULT_DOCUMENT_THRESHOLDS.aspectTolerance;
    expect(matchDocumentShape(ID1_ASPECT, tol)).toBe('id1');
    expect(matchDocumentShape(TD3_ASPECT, tol)).toBe('td3');
    // At the edge: the tolerance equal to the measured deviation accepts, a hair less refuses.
    const low = TD3_ASPECT * (1 - tol);
    const lowDev = Math.abs(low / TD3_ASPECT - 1);
    expect(matchDocumentShape(low, lowDev)).toBe('td3');
    expect(matchDocumentShape(low, lowDev - 1e-12)).toBeNull();
    const high = ID1_ASPECT * (1 + tol);
    const highDev = Math.abs(high / ID1_ASPECT - 1);
    expect(matchDocumentShape(high, highDev)).toBe('id1');
    expect(matchDocumentShape(high, highDev - 1e-12)).toBeNull();
    const square = rectQuad(320, 240, 400, 400);
    const r = run({}, square);
    expect(r.code).toBe('wrong_document_shape');
    expect(r.measures.aspectRatio).toBeCloseTo(1, 9);
    const a4 = rectQuad(320, 240, 445.5, 315);
    expect(quadAspectRatio(a4)).toBeCloseTo(445.5 / 315, 9);
    expect(run({}, a4).measures.shape).toBe('td3'); // A4 landscape is within 0.5 % of TD3: shape alone cannot tell
  });

  it('does not judge the shape of a cut-off document', () => {
    const square = rectQuad(320, 240, 400, 400);
    expect(run({}, square, { inside: [false, true, true, true] }).codes).toEqual(['cut_off']);
  });

  it('reports too dark and too bright outside the luma bounds, not on them', () => {
    const t = DEFAULT_DOCUMENT_THRESHOLDS;
    expect(run({}, card, { stats: { ...goodStats, meanLuma: t.minLuma } }).code).toBe('ok');
    expect(run({}, card, { stats: { ...goodStats, meanLuma: t.minLuma - 0.01 } }).code).toBe('too_dark');
    expect(run({}, card, { stats: { ...goodStats, meanLuma: t.maxLuma } }).code).toBe('ok');
    expect(run({}, card, { stats: { ...goodStats, meanLuma: t.maxLuma + 0.01 } }).code).toBe('too_bright');
  });

  it('reports blur below the sharpness threshold, not at it', () => {
    const t = DEFAULT_DOCUMENT_THRESHOLDS;
    expect(run({}, card, { stats: { ...goodStats, sharpness: t.minSharpness } }).code).toBe('ok');
    expect(run({}, card, { stats: { ...goodStats, sharpness: t.minSharpness - 0.01 } }).code).toBe('blurry');
  });

  it('reports glare above the blob threshold, not at it', () => {
    const t = DEFAULT_DOCUMENT_THRESHOLDS;
    expect(run({}, card, { stats: { ...goodStats, largestGlareBlob: t.maxGlareBlob } }).code).toBe('ok');
    expect(run({}, card, { stats: { ...goodStats, largestGlareBlob: t.maxGlareBlob + 1e-6 } }).code).toBe(
      'glare',
    );
  });

  it('skips the image rules when no statistics are given', () => {
    const r = evaluateDocumentQuality({ frameWidth: W, frameHeight: H, detection: detection(card) });
    expect(r.code).toBe('ok');
  });

  it('asks to hold still above the motion threshold, not at it, and until enough frames are seen', () => {
    const t = DEFAULT_DOCUMENT_THRESHOLDS;
    const diag = Math.hypot(500, 500 / ID1_ASPECT);
    const step = t.maxMotion * diag;
    const moving = (k: number) => rectQuad(320 - 3 * k, 240, 500, 500 / ID1_ASPECT);
    // Shift by exactly maxMotion × diagonal per frame (the diagonal is unchanged by translation).
    const at = [0, 1, 2].map((i) => rectQuad(320 + step * i, 240, 500, 500 / ID1_ASPECT));
    const cur = rectQuad(320 + step * 3, 240, 500, 500 / ID1_ASPECT);
    const rAt = run({}, cur, { recent: at });
    expect(rAt.measures.motion).toBeCloseTo(t.maxMotion, 12);
    expect(rAt.code).toBe('ok');
    const fast = [0, 1, 2].map((i) => rectQuad(320 + step * 1.001 * i, 240, 500, 500 / ID1_ASPECT));
    expect(run({}, rectQuad(320 + step * 1.001 * 3, 240, 500, 500 / ID1_ASPECT), { recent: fast }).code).toBe(
      'hold_still',
    );
    expect(run({}, card, { recent: [card, card] }).code).toBe('hold_still');
    expect(run({}, card, { recent: [card, card, card] }).code).toBe('ok');
    expect(documentMotion([moving(0)], 4)).toBeNull();
  });

  it('lists every failing rule in priority order', () => {
    const r = run({}, rectQuad(320, 240, 150, 150), {
      stats: { meanLuma: 20, sharpness: 1, glareFraction: 0.2, largestGlareBlob: 0.2, visibleFraction: 1 },
      recent: [],
    });
    expect(r.codes).toEqual([
      'move_closer',
      'wrong_document_shape',
      'too_dark',
      'glare',
      'blurry',
      'hold_still',
    ]);
    expect(r.code).toBe('move_closer');
  });
});
