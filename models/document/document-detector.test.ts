/**
 * The committed detector on freshly generated held-out frames (renderer A, a seed never trained on), run
 * the way the product runs it: onnxruntime-node, with the shared pre- and post-processing of
 * src/core/document. Frames are drawn at 640×480 and reduced by `fillInputTensor`, and at 160×120.
 *
 * Never skipped: without the model, or without Debian's Python with OpenCV, PIL and NumPy (the generator;
 * CI installs python3-numpy python3-opencv python3-pil fonts-ocr-b), the suite fails and says why.
 *
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDetection } from '../../src/core/document/decode.js';
import type { DocumentDetection } from '../../src/core/document/decode.js';
import { analyzeDocumentFrame, type DetectorInference } from '../../src/core/document/pipeline.js';
import { fillInputTensor, letterbox } from '../../src/core/document/preprocess.js';
import { DumpedFrames, cameraImage, inFrame, summarise, type Summary } from './figures.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const MODEL = process.env.IDV_DOCUMENT_MODEL ?? join(HERE, 'document-detector.onnx');
const PYTHON = '/usr/bin/python3';

/** Why the suite cannot run here, or null when it can. */
function missingPrerequisite(): string | null {
  if (!existsSync(MODEL)) return `the document model ${MODEL} is missing (see models/document/README.md)`;
  if (!existsSync(PYTHON))
    return `${PYTHON} is missing: install Debian's python3 python3-numpy python3-opencv python3-pil fonts-ocr-b`;
  const probe = spawnSync(PYTHON, ['-c', 'import cv2, PIL, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return `${PYTHON} cannot import cv2, PIL and numpy (install python3-numpy python3-opencv python3-pil fonts-ocr-b): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return null;
}

function generate(dir: string, seed: number, count: number, width: number, height: number): DumpedFrames {
  execFileSync(
    PYTHON,
    [
      '-m',
      'models.document.dump_frames',
      '--renderer',
      'a',
      '--seed',
      String(seed),
      '--count',
      String(count),
      '--width',
      String(width),
      '--height',
      String(height),
      '--out',
      dir,
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
  return new DumpedFrames(dir);
}

function inferWith(session: ort.InferenceSession): DetectorInference {
  return async (input) => {
    const r = await session.run({ image: new ort.Tensor('float32', input, [1, 3, 120, 160]) });
    return {
      presence: r.presence!.data as Float32Array,
      inside: r.inside!.data as Float32Array,
      corners: r.corners!.data as Float32Array,
      coarse: r.coarse!.data as Float32Array,
    };
  };
}

async function detectAll(session: ort.InferenceSession, f: DumpedFrames): Promise<DocumentDetection[]> {
  const lb = letterbox(f.width, f.height);
  const input = new Float32Array(3 * 160 * 120);
  const infer = inferWith(session);
  const out: DocumentDetection[] = [];
  for (const { pixels } of f.frames()) {
    fillInputTensor(pixels, lb, input, 3);
    out.push(decodeDetection(await infer(input), lb));
  }
  return out;
}

/**
 * Through the product's own pipeline (what `idv inspect` runs), on the camera image alone: both looks,
 * and with `refineEdges` the corners moved onto the document's edges too.
 */
async function analyzeAll(
  session: ort.InferenceSession,
  f: DumpedFrames,
  refineEdges: boolean,
): Promise<DocumentDetection[]> {
  const infer = inferWith(session);
  const out: DocumentDetection[] = [];
  for (const { index, pixels } of f.frames()) {
    const camera = cameraImage(f, index, pixels);
    const a = await analyzeDocumentFrame(camera, infer, { secondLook: true, refineEdges });
    out.push(inFrame(a.detection, camera.x0, camera.y0));
  }
  return out;
}

/**
 * Floors for the committed model, set from its evaluation (models/document/eval.json, renderer A, 2,000
 * frames, model g4s at presence 0.90: 99.2 % detected, corner error mean 1.59 % / p95 4.01 %, 10–30 %
 * mean 3.25 %, 2.2 % false detections, cut-off 96.7 % flagged / 1.5 % of whole documents; on this test's
 * seed 11 it measured 99.6 %, 1.55 % / 4.40 %, 2.84 %, 1.35 % (2 of 148 frames), 96.6 % / 1.3 %) with
 * room for a few frames of difference between platforms. (At presence 0.85, session 11, seed 11 gave
 * 4.05 % false detections and this floor was 5 %.) They guard against regressions of the network alone
 * at its own input size; the targets (99 %, 1.5 % / 4 %, 3 %, 2 %, 97 % / 2 %) are measured on
 * the whole pipeline (models/document/eval-pipeline.json).
 */
const FLOORS = {
  detectedPct: 97.5,
  meanError: 2.2,
  p95Error: 5,
  midMeanError: 4,
  falseDetectionPct: 4,
  cutFlaggedPct: 94.5,
  wholeFlaggedPct: 3,
};

/**
 * Floors for both looks at 640×480 on the camera image, before the edges. With g2, on this test's seed 13
 * (300 frames) they measured 99 % detected, corner error 1.62 % / p95 5.51 % (the first look alone 1.64 /
 * 5.51), 10–30 % mean 1.90 % (first look 2.49 %), no false detection in 41 frames; the room is for
 * platforms. (The model before it, g1, read one of the 100 large documents in another order in the
 * window: 2.61 %.)
 */
const SECOND_LOOK_FLOORS = {
  detectedPct: 96,
  meanError: 2.4,
  p95Error: 5.8,
  midMeanError: 2.6,
  falseDetectionPct: 5,
};

/**
 * Floors for the whole pipeline with the corners on the document's edges, on the same frames (seed 13, the
 * camera image alone). Measured with g2 (g4s passes them too): 99 % detected, corner error mean 1.02 % /
 * median 0.14 % / p95 5.34 %, 10–30 % mean 1.36 %, no false detection, cut-off 98.0 % flagged / 1.9 % of
 * whole documents; the room is for platforms.
 */
const EDGES_FLOORS = {
  detectedPct: 96,
  meanError: 1.8,
  medianError: 0.4,
  p95Error: 5.5,
  midMeanError: 1.9,
  falseDetectionPct: 5,
  cutFlaggedPct: 92,
  wholeFlaggedPct: 3,
};

/** Figures that must reach their floor from above; every other floor is a ceiling. */
const AT_LEAST: ReadonlySet<keyof Summary> = new Set(['detectedPct', 'cutFlaggedPct']);

function expectFloors(s: Summary, floors: Partial<Record<keyof Summary, number>>, report: string): void {
  // DOCDET_REPORT=1 prints the measured figures, for setting these floors when a new model is committed.
  if (process.env.DOCDET_REPORT) console.log(report);
  for (const [key, bound] of Object.entries(floors) as [keyof Summary, number][]) {
    if (AT_LEAST.has(key)) expect(s[key], `${key}: ${report}`).toBeGreaterThanOrEqual(bound);
    else expect(s[key], `${key}: ${report}`).toBeLessThanOrEqual(bound);
  }
}

describe('document-detector.onnx on generated held-out frames', () => {
  let dir = '';
  let session: ort.InferenceSession;
  beforeAll(async () => {
    const missing = missingPrerequisite();
    if (missing) throw new Error(`cannot evaluate the document detector: ${missing}`);
    dir = mkdtempSync(join(tmpdir(), 'idv-docdet-'));
    session = await ort.InferenceSession.create(MODEL, { intraOpNumThreads: 1 });
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds documents and their corners at 160×120 (1,000 frames, held-out seed 11)', async () => {
    const f = generate(join(dir, 's'), 11, 1000, 160, 120);
    const s = summarise(f.labels, await detectAll(session, f));
    const report = JSON.stringify(s);
    expect(s.big, report).toBeGreaterThan(200);
    expect(s.negatives, report).toBeGreaterThan(100);
    expect(s.cut, report).toBeGreaterThan(150);
    expectFloors(s, FLOORS, report);
  }, 300_000);

  it('gives the same quality through the 640×480 pre-processing (held-out seed 12)', async () => {
    const f = generate(join(dir, 'l'), 12, 60, 640, 480);
    const s = summarise(f.labels, await detectAll(session, f));
    const report = JSON.stringify(s);
    expect(s.big, report).toBeGreaterThanOrEqual(10);
    expect(s.detectedPct, report).toBeGreaterThanOrEqual(90);
    expect(s.medianError, report).toBeLessThanOrEqual(2.5);
    expect(s.meanError, report).toBeLessThanOrEqual(4);
  }, 180_000);

  it('places documents of 10–30 % better with the second look, and all finer on their edges, at 640×480 (held-out seed 13)', async () => {
    const f = generate(join(dir, 'w'), 13, 300, 640, 480);
    const first = summarise(f.labels, await detectAll(session, f));
    const both = summarise(f.labels, await analyzeAll(session, f, false));
    const edges = summarise(f.labels, await analyzeAll(session, f, true));
    const report = JSON.stringify({ first, both, edges });
    expect(both.big, report).toBeGreaterThanOrEqual(60);
    expectFloors(both, SECOND_LOOK_FLOORS, report);
    // What the second look is for: documents of 10–30 % are placed clearly better than by the first.
    expect(both.midMeanError, report).toBeLessThan(first.midMeanError * 0.9);
    // And what the edges are for: corners on the document's own edges, several times finer (on this seed
    // the median went 1.22 -> 0.17 % of the diagonal, documents of 10-30 % 1.88 -> 1.30 %).
    expectFloors(edges, EDGES_FLOORS, report);
    expect(edges.medianError, report).toBeLessThan(both.medianError * 0.5);
    expect(edges.midMeanError, report).toBeLessThan(both.midMeanError);
  }, 300_000);
});
