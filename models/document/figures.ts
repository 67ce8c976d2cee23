/**
 * Generated frames written by dump_frames.py, and the evaluation figures of the issue (by document size,
 * false detections, cut-off flags) computed over what the product's pipeline found on them. Shared by
 * the model's test (document-detector.test.ts) and the evaluation of the whole pipeline
 * (evaluate-pipeline.ts), so that both count exactly the same way.
 */

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { nearestRank } from '../../bench/support.js';
import type { DocumentDetection } from '../../src/core/document/decode.js';
import type { Quad } from '../../src/core/document/geometry.js';
import { distance, polygonArea, quadDiagonal } from '../../src/core/document/geometry.js';

/** One frame's label as dump_frames.py writes it (output pixels, continuous coordinates). */
export interface FrameLabel {
  readonly present: boolean;
  readonly kind: number;
  readonly neg_kind: number;
  readonly corners: number[][];
  /** The camera image inside the frame (x0, y0, x1, y1): letterbox bars lie outside it. */
  readonly content: number[];
}

/** A folder written by dump_frames.py: frames.rgb (count × height × width × 3) and labels.json. */
export class DumpedFrames {
  readonly width: number;
  readonly height: number;
  readonly labels: readonly FrameLabel[];
  private readonly path: string;

  constructor(dir: string) {
    const meta = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as {
      width: number;
      height: number;
      frames: FrameLabel[];
    };
    this.width = meta.width;
    this.height = meta.height;
    this.labels = meta.frames;
    this.path = join(dir, 'frames.rgb');
  }

  /** Every frame's RGB pixels in turn, read one at a time (a 640 × 480 set of 1,000 is 920 MB). */
  *frames(): Generator<{ index: number; pixels: Uint8Array }> {
    const bytes = this.width * this.height * 3;
    const fd = openSync(this.path, 'r');
    try {
      for (let index = 0; index < this.labels.length; index++) {
        const pixels = new Uint8Array(bytes);
        if (readSync(fd, pixels, 0, bytes, index * bytes) !== bytes) {
          throw new Error(`${this.path} ends before frame ${index}`);
        }
        yield { index, pixels };
      }
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * The camera image of a frame: the renderer draws cameras of another aspect (16:9, 3:4) letterboxed into
 * the frame with grey bars, exactly as the product's pre-processing does, but the product itself is handed
 * the camera image alone, and judges corners outside against its edges. Detections on it are moved back
 * into frame pixels with `inFrame`.
 */
export function cameraImage(
  set: DumpedFrames,
  index: number,
  pixels: Uint8Array,
): { pixels: Uint8Array; width: number; height: number; channels: 3; x0: number; y0: number } {
  const [x0, y0, x1, y1] = set.labels[index]!.content.map(Math.round) as [number, number, number, number];
  const width = x1 - x0;
  const height = y1 - y0;
  if (width === set.width && height === set.height) return { pixels, width, height, channels: 3, x0, y0 };
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * set.width + x0) * 3;
    out.set(pixels.subarray(from, from + width * 3), y * width * 3);
  }
  return { pixels: out, width, height, channels: 3, x0, y0 };
}

/** A detection on the camera image, in frame pixels. */
export function inFrame(d: DocumentDetection, x0: number, y0: number): DocumentDetection {
  const c = d.corners.map((p) => ({ x: p.x + x0, y: p.y + y0 }));
  return { ...d, corners: [c[0]!, c[1]!, c[2]!, c[3]!] };
}

export function labelQuad(label: FrameLabel): Quad {
  const p = label.corners.map(([x, y]) => ({ x: x!, y: y! }));
  return [p[0]!, p[1]!, p[2]!, p[3]!];
}

/** Where a frame counts in the figures. */
export type FrameBucket = 'negative' | 'cut_off' | 'fill_ge_30' | 'fill_10_30' | 'fill_lt_10';

export function frameBucket(label: FrameLabel): FrameBucket {
  if (!label.present) return 'negative';
  const q = labelQuad(label);
  const [x0, y0, x1, y1] = label.content as [number, number, number, number];
  if (!q.every((p) => p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1)) return 'cut_off';
  const fill = polygonArea(q) / ((x1 - x0) * (y1 - y0));
  return fill >= 0.3 ? 'fill_ge_30' : fill >= 0.1 ? 'fill_10_30' : 'fill_lt_10';
}

/** Mean distance of the four corners to the true ones, in % of the true document diagonal. */
export function cornerErrorPct(label: FrameLabel, d: DocumentDetection): number {
  const q = labelQuad(label);
  return (100 * q.reduce((s, p, k) => s + distance(p, d.corners[k]!), 0)) / 4 / quadDiagonal(q);
}

const mean = (a: readonly number[]) => a.reduce((s, e) => s + e, 0) / Math.max(1, a.length);

/** The figures of the issue, in %, like models/document/evaluate.py reports them. */
export function summarise(labels: readonly FrameLabel[], dets: readonly DocumentDetection[]) {
  const ge30: number[] = [];
  const mid: number[] = [];
  let big = 0;
  let bigFound = 0;
  let neg = 0;
  let falsePos = 0;
  let cut = 0;
  let cutFlagged = 0;
  let whole = 0;
  let wholeFlagged = 0;
  let cutFoundFlagged = 0;
  let wholeFoundFlagged = 0;
  labels.forEach((l, i) => {
    const d = dets[i]!;
    const bucket = frameBucket(l);
    if (bucket === 'negative') {
      neg++;
      if (d.present) falsePos++;
      return;
    }
    // The detector's own verdict, read whatever its presence: the figures as reported since the first model.
    const flagged = d.inside.some((v) => !v);
    // What the product tells the person: a frame in which no document is found is told no_document, never
    // cut_off, so only a found document's flags count.
    const foundFlagged = d.present && flagged;
    if (bucket === 'cut_off') {
      cut++;
      if (flagged) cutFlagged++;
      if (foundFlagged) cutFoundFlagged++;
      return;
    }
    whole++;
    if (flagged) wholeFlagged++;
    if (foundFlagged) wholeFoundFlagged++;
    if (bucket === 'fill_ge_30') big++;
    if (bucket === 'fill_lt_10' || !d.present) return;
    if (bucket === 'fill_ge_30') bigFound++;
    (bucket === 'fill_ge_30' ? ge30 : mid).push(cornerErrorPct(l, d));
  });
  const pct = (n: number, of: number) => (100 * n) / Math.max(1, of);
  return {
    big,
    mid: mid.length,
    negatives: neg,
    cut,
    detectedPct: pct(bigFound, big),
    meanError: mean(ge30),
    medianError: nearestRank(ge30, 0.5),
    p95Error: nearestRank(ge30, 0.95),
    midMeanError: mean(mid),
    falseDetectionPct: pct(falsePos, neg),
    cutFlaggedPct: pct(cutFlagged, cut),
    wholeFlaggedPct: pct(wholeFlagged, whole),
    cutFoundFlaggedPct: pct(cutFoundFlagged, cut),
    wholeFoundFlaggedPct: pct(wholeFoundFlagged, whole),
  };
}

export type Summary = ReturnType<typeof summarise>;

/** The targets, on renderer A's held-out frames. */
export const TARGETS: Readonly<Partial<Record<keyof Summary, { atLeast?: number; atMost?: number }>>> = {
  detectedPct: { atLeast: 99 },
  meanError: { atMost: 1.5 },
  p95Error: { atMost: 4 },
  midMeanError: { atMost: 3 },
  falseDetectionPct: { atMost: 2 },
  cutFlaggedPct: { atLeast: 97 },
  wholeFlaggedPct: { atMost: 2 },
};
