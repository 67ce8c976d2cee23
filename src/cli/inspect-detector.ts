/**
 * The document detector on the server side: onnxruntime-node's CPU runtime (the package's own binary;
 * `.npmrc` skips its post-install download, so `npm install` needs nothing beyond the registry) running
 * the same model as the browser, behind the runtime-independent `DetectorInference` of core.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readDetectorOutputs, type DetectorOutputs } from '../core/document/decode.js';
import type { DetectorInference } from '../core/document/pipeline.js';
import { DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH } from '../core/document/preprocess.js';

/** The committed model, relative to this file (the CLI runs from its sources). */
export const DEFAULT_DOCUMENT_MODEL = resolve(
  import.meta.dirname,
  '../../models/document/document-detector.onnx',
);

export interface NodeDocumentDetector {
  readonly infer: DetectorInference;
  dispose(): Promise<void>;
}

export async function createNodeDocumentDetector(
  modelPath: string = DEFAULT_DOCUMENT_MODEL,
): Promise<NodeDocumentDetector> {
  if (!existsSync(modelPath)) {
    throw new Error(`the document model ${modelPath} is missing (see models/document/README.md)`);
  }
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const shape = [1, 3, DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH];
  return {
    async infer(input: Float32Array): Promise<DetectorOutputs> {
      const r = await session.run({ image: new ort.Tensor('float32', input, shape) });
      return readDetectorOutputs(r);
    },
    dispose: () => session.release(),
  };
}
