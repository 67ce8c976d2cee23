/**
 * The whole per-frame document analysis, independent of the runtime that executes the network: the
 * browser worker (onnxruntime-web) and the server (onnxruntime-node) hand in their own `infer`.
 * Pixels → letterboxed input tensor → detector → corners in frame pixels → statistics inside the
 * document → guidance codes.
 */

import type { DetectorOutputs, DocumentDetection } from './decode.js';
import { decodeDetection } from './decode.js';
import { ID1_ASPECT, TD3_ASPECT, cornerInside, quadAspectRatio, type Quad } from './geometry.js';
import { DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH, fillInputTensor, letterbox } from './preprocess.js';
import type { EdgeRefineSettings } from './edge-refine.js';
import { DEFAULT_EDGE_REFINE } from './edge-refine.js';
import type { SideExtensionSettings } from './side-extension.js';
import { DEFAULT_SIDE_EXTENSION, refineEdgesAndSides } from './side-extension.js';
import type { SecondLookSettings } from './second-look.js';
import { DEFAULT_SECOND_LOOK, lookAgain } from './second-look.js';
import type { DocumentQualityResult, DocumentThresholds } from './rules.js';
import { DEFAULT_DOCUMENT_THRESHOLDS, evaluateDocumentQuality, matchDocumentShape } from './rules.js';
import type { DocumentRegionStats } from './stats.js';
import { measureDocumentRegion } from './stats.js';

/**
 * Width frames are analysed at. The browser's frame sampler hands 640-pixel-wide frames to the worker;
 * the server scales uploads to the same width so that sharpness and glare read the same on both sides.
 */
export const DOCUMENT_ANALYSIS_WIDTH = 640;

/** Runs the network on one input tensor (1 × 3 × 120 × 160, planar RGB in [0, 1]). */
export type DetectorInference = (input: Float32Array) => Promise<DetectorOutputs>;

export interface DocumentFrame {
  /** RGBA (default) or RGB pixels, row-major, top row first. */
  readonly pixels: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  readonly channels?: 3 | 4;
}

export interface DocumentTimings {
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  /** The second look (window fill and inference); 0 where none was taken. */
  readonly secondLookMs: number;
  /** Moving the corners onto the document's edges; 0 where it was not asked for. */
  readonly edgesMs: number;
  readonly statsMs: number;
  readonly totalMs: number;
}

/** Everything measured on one frame; plain data (it crosses the worker boundary as is). */
export interface DocumentAnalysis {
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly detection: DocumentDetection;
  /** Measured inside the detected document; null when no document is present. */
  readonly stats: DocumentRegionStats | null;
  readonly quality: DocumentQualityResult;
  readonly timings: DocumentTimings;
}

export interface AnalyzeDocumentOptions {
  readonly thresholds?: Readonly<DocumentThresholds>;
  /** Corners of previous frames, oldest first (video); leave out for a single image. */
  readonly recent?: readonly Quad[];
  /** Reused between frames to avoid an allocation per frame. */
  readonly inputBuffer?: Float32Array;
  /**
   * Look again at a window around what the first look found (second-look.ts): finer corners and fewer
   * false detections for a second inference. The server takes it on every image; the
   * browser on the frame it keeps. `true` takes the default settings.
   */
  readonly secondLook?: boolean | Readonly<SecondLookSettings>;
  /**
   * Move the corners onto the document's edges in the frame (edge-refine.ts). `true` takes the default
   * settings.
   */
  readonly refineEdges?: boolean | Readonly<EdgeRefineSettings>;
  /**
   * With the edges: move a side out to where its neighbouring sides end (side-extension.ts). On by
   * default wherever the edges are refined; `false` turns it off.
   */
  readonly extendSides?: boolean | Readonly<SideExtensionSettings>;
  readonly now?: () => number;
}

export async function analyzeDocumentFrame(
  frame: DocumentFrame,
  infer: DetectorInference,
  options: AnalyzeDocumentOptions = {},
): Promise<DocumentAnalysis> {
  const now = options.now ?? (() => performance.now());
  const thresholds = options.thresholds ?? DEFAULT_DOCUMENT_THRESHOLDS;
  const channels = frame.channels ?? 4;
  const t0 = now();
  const lb = letterbox(frame.width, frame.height, DETECTOR_INPUT_WIDTH, DETECTOR_INPUT_HEIGHT);
  const input = fillInputTensor(frame.pixels, lb, options.inputBuffer, channels);
  const t1 = now();
  const outputs = await infer(input);
  const t2 = now();
  let detection = decodeDetection(outputs, lb, { presenceThreshold: thresholds.minPresence });
  const t2b = now();
  const lookSettings = options.secondLook === true ? DEFAULT_SECOND_LOOK : options.secondLook || null;
  if (lookSettings) detection = await lookAgain({ ...frame, channels }, detection, infer, lookSettings);
  const t2c = now();
  const edgeSettings = options.refineEdges === true ? DEFAULT_EDGE_REFINE : options.refineEdges || null;
  if (edgeSettings && detection.present) {
    const sideSettings =
      options.extendSides === false
        ? null
        : typeof options.extendSides === 'object'
          ? options.extendSides
          : DEFAULT_SIDE_EXTENSION;
    const refined = refineEdgesAndSides(
      { ...frame, channels },
      detection.corners,
      edgeSettings,
      sideSettings,
    );
    // A corner where two sides found in the image meet is inside the frame or not by where they meet:
    // sharper than the network's own judgement next to the frame's edge.
    const inside = detection.inside.map((v, i) =>
      refined.cornersOnEdges[i] ? cornerInside(refined.corners[i]!, frame.width, frame.height) : v,
    );
    detection = {
      ...detection,
      corners: refined.corners,
      inside: [inside[0]!, inside[1]!, inside[2]!, inside[3]!],
    };
  }
  const t2d = now();
  let stats: DocumentRegionStats | null = null;
  if (detection.present) {
    stats = measureDocumentRegion(frame.pixels, frame.width, frame.height, detection.corners, {
      channels,
      aspect: rectifiedAspect(detection.corners, thresholds),
    });
  }
  const quality = evaluateDocumentQuality(
    {
      frameWidth: frame.width,
      frameHeight: frame.height,
      detection,
      ...(stats ? { stats } : {}),
      ...(options.recent ? { recent: options.recent } : {}),
    },
    thresholds,
  );
  const t3 = now();
  return {
    frameWidth: frame.width,
    frameHeight: frame.height,
    detection,
    stats,
    quality,
    timings: {
      preprocessMs: t1 - t0,
      inferenceMs: t2 - t1,
      secondLookMs: t2c - t2b,
      edgesMs: t2d - t2c,
      statsMs: t3 - t2d + (t2b - t2),
      totalMs: t3 - t0,
    },
  };
}

/** A passport page is rectified at its own aspect, anything else as an ID-1 card. */
function rectifiedAspect(q: Quad, t: Readonly<DocumentThresholds>): number {
  return matchDocumentShape(quadAspectRatio(q), t.aspectTolerance) === 'td3' ? TD3_ASPECT : ID1_ASPECT;
}

/** The size a frame is scaled to before analysis: `DOCUMENT_ANALYSIS_WIDTH` wide at most, aspect kept. */
export function analysisSize(width: number, height: number): { width: number; height: number } {
  if (width <= DOCUMENT_ANALYSIS_WIDTH) return { width, height };
  return {
    width: DOCUMENT_ANALYSIS_WIDTH,
    height: Math.max(1, Math.round((height * DOCUMENT_ANALYSIS_WIDTH) / width)),
  };
}
