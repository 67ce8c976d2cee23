import type { DocumentAnalysis } from '../../core/document/pipeline.js';

/**
 * A frame handed to the detector: an ImageBitmap, or a camera's VideoFrame (the cheaper hand-over, see
 * `grabVideoFrame`). It is transferred to the worker, which closes it, and is unusable afterwards.
 */
export type DocumentFrame = ImageBitmap | VideoFrame;

export interface DocumentDetectOptions {
  /**
   * Judge steadiness against the corners of the previous frames (camera streams; the default). Turn it
   * off for single images: `hold_still` is then never reported.
   */
  readonly steadiness?: boolean;
  /**
   * Analyse the frame thoroughly, as the server does: a second look at a window around the document
   * (src/core/document/second-look.ts: fewer false detections, for a second inference) and the corners
   * moved onto the document's edges (edge-refine.ts). Meant for the frame that is kept, not every frame.
   */
  readonly thorough?: boolean;
}

export interface DocumentDetectorInfo {
  /** Execution provider onnxruntime-web runs the model on. */
  readonly backend: 'wasm';
  readonly loadMs: number;
}

/**
 * The document detector (the project's own corner network, onnxruntime-web in a module worker) and the
 * document quality rules, one frame per call. `load` is optional: `detect` loads on first use.
 */
export interface DocumentDetector {
  load(signal?: AbortSignal): Promise<void>;
  detect(frame: DocumentFrame, options?: DocumentDetectOptions): Promise<DocumentAnalysis>;
  dispose(): void;
}
