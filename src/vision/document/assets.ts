// The detector's files, emitted by Vite with content-hashed names and served from the product's own
// origin (no CDN). Importing this module does not download anything: the worker fetches them when a
// document step starts.
import modelUrl from '../../../models/document/document-detector.onnx?url';
// The single-threaded SIMD build is all the wasm backend needs with numThreads = 1 (no
// SharedArrayBuffer, so no cross-origin isolation is required of the embedding page).
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

export const DOCUMENT_ASSETS = { model: modelUrl, wasm: wasmUrl } as const;
