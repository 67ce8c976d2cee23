import type { FaceFrameAnalysis } from '../../core/face/types.js';

/** Which tasks a face worker should load; each is created lazily on first need. */
export interface FaceTaskSelection {
  readonly detector: boolean;
  readonly landmarker: boolean;
}

export type FaceWorkerRequest =
  | {
      readonly type: 'load';
      readonly id: number;
      readonly tasks: FaceTaskSelection;
      readonly preferGpu: boolean;
    }
  | {
      readonly type: 'analyze';
      readonly id: number;
      readonly bitmap: ImageBitmap;
      readonly timestamp: number;
      readonly tasks: FaceTaskSelection;
    }
  | { readonly type: 'dispose'; readonly id: number };

export interface FaceWorkerLoaded {
  readonly delegate: 'CPU' | 'GPU';
  readonly loadMs: number;
}

export type FaceWorkerResponse =
  | { readonly type: 'loaded'; readonly id: number; readonly info: FaceWorkerLoaded }
  | { readonly type: 'result'; readonly id: number; readonly analysis: FaceFrameAnalysis }
  | { readonly type: 'disposed'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
