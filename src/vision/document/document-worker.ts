/// <reference lib="webworker" />
// Worker entry for the document pipeline: onnxruntime-web (wasm, one thread) runs the corner network,
// core's pipeline does the rest. Nothing leaves the product's origin.
import { refuseCrossOriginFetch } from '../worker/third-party-guard.js';
refuseCrossOriginFetch(self);

import * as ort from 'onnxruntime-web/wasm';
import { readDetectorOutputs, type DetectorOutputs } from '../../core/document/decode.js';
import type { Quad } from '../../core/document/geometry.js';
import { analyzeDocumentFrame, type DocumentAnalysis } from '../../core/document/pipeline.js';
import { DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH } from '../../core/document/preprocess.js';
import { DOCUMENT_ASSETS } from './assets.js';
import { FramePixelReader } from './frame-pixels.js';
import type { DocumentDetectorInfo, DocumentFrame } from './interfaces.js';
import type { DocumentWorkerRequest, DocumentWorkerResponse } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let session: Promise<ort.InferenceSession> | undefined;
let loadInfo: DocumentDetectorInfo | undefined;
const reader = new FramePixelReader();
const input = new Float32Array(3 * DETECTOR_INPUT_WIDTH * DETECTOR_INPUT_HEIGHT);
/** Requests run one after another; the main thread never has more than one frame in flight anyway. */
let queue: Promise<void> = Promise.resolve();

function post(message: DocumentWorkerResponse): void {
  scope.postMessage(message);
}

async function createSession(): Promise<ort.InferenceSession> {
  // One thread and no proxy worker: no SharedArrayBuffer, no blob: worker, nothing a strict CSP blocks.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = { wasm: DOCUMENT_ASSETS.wasm };
  ort.env.logLevel = 'error';
  const response = await fetch(DOCUMENT_ASSETS.model);
  if (!response.ok) throw new Error(`document model: HTTP ${response.status}`);
  const model = new Uint8Array(await response.arrayBuffer());
  return ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
}

async function ensureSession(): Promise<ort.InferenceSession> {
  if (!session) {
    const start = performance.now();
    session = createSession();
    session.then(
      () => (loadInfo = { backend: 'wasm', loadMs: performance.now() - start }),
      () => (session = undefined),
    );
  }
  return session;
}

async function infer(s: ort.InferenceSession, tensor: Float32Array): Promise<DetectorOutputs> {
  const r = await s.run({
    image: new ort.Tensor('float32', tensor, [1, 3, DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH]),
  });
  return readDetectorOutputs(r);
}

async function detect(
  frame: DocumentFrame,
  recent: readonly Quad[] | null,
  thorough: boolean,
): Promise<DocumentAnalysis> {
  try {
    const s = await ensureSession();
    const start = performance.now();
    const { pixels, width, height } = await reader.read(frame);
    const readMs = performance.now() - start;
    const analysis = await analyzeDocumentFrame(
      { pixels, width, height, channels: 4 },
      (tensor) => infer(s, tensor),
      {
        inputBuffer: input,
        secondLook: thorough,
        refineEdges: thorough,
        ...(recent ? { recent } : {}),
      },
    );
    // Reading the frame's pixels counts as pre-processing.
    const t = analysis.timings;
    return {
      ...analysis,
      timings: { ...t, preprocessMs: t.preprocessMs + readMs, totalMs: t.totalMs + readMs },
    };
  } finally {
    frame.close();
  }
}

async function handle(request: DocumentWorkerRequest): Promise<void> {
  try {
    switch (request.type) {
      case 'load':
        await ensureSession();
        post({ type: 'loaded', id: request.id, info: loadInfo ?? { backend: 'wasm', loadMs: 0 } });
        return;
      case 'detect':
        post({
          type: 'result',
          id: request.id,
          analysis: await detect(request.frame, request.recent, request.thorough),
        });
        return;
      case 'dispose': {
        const s = session;
        session = undefined;
        if (s) await s.then((open) => open.release()).catch(() => undefined);
        post({ type: 'disposed', id: request.id });
        return;
      }
    }
  } catch (error) {
    post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
}

scope.addEventListener('message', (event: MessageEvent<DocumentWorkerRequest>) => {
  queue = queue.then(() => handle(event.data));
});
