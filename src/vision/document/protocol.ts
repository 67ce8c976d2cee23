import type { DocumentAnalysis } from '../../core/document/pipeline.js';
import type { Quad } from '../../core/document/geometry.js';
import type { DocumentDetectorInfo, DocumentFrame } from './interfaces.js';

export type DocumentWorkerRequest =
  | { readonly type: 'load'; readonly id: number }
  | {
      readonly type: 'detect';
      readonly id: number;
      readonly frame: DocumentFrame;
      /** Corners of the previous frames, oldest first; absent for a single image. */
      readonly recent: readonly Quad[] | null;
      /** Analyse this frame thoroughly (second look and corners on the edges). */
      readonly thorough: boolean;
    }
  | { readonly type: 'dispose'; readonly id: number };

export type DocumentWorkerResponse =
  | { readonly type: 'loaded'; readonly id: number; readonly info: DocumentDetectorInfo }
  | { readonly type: 'result'; readonly id: number; readonly analysis: DocumentAnalysis }
  | { readonly type: 'disposed'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
