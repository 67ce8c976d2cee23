import ModuleFactory from '@mediapipe/tasks-vision/vision_wasm_module_internal.js';
import wasmUrl from '@mediapipe/tasks-vision/vision_wasm_module_internal.wasm?url';
import type { FaceDetector } from '@mediapipe/tasks-vision';

/**
 * The tasks-vision wasm runtime for the worker, bundled from our own origin:
 * - the loader is the package's ES-module build, imported here (no script injection, no blob: URL,
 *   nothing for a strict CSP to block), and handed to tasks-vision as `self.ModuleFactory` with an
 *   empty loader path so tasks-vision does not try to load a script itself;
 * - the binary is fetched and compiled once; every task instantiates that one compiled module.
 *   MediaPipe's wasm graph runner holds a single graph per instance, so two tasks need two instances,
 *   but they share one download and one compilation.
 */
/** tasks-vision does not export its WasmFileset type. */
export type WasmFileset = Parameters<typeof FaceDetector.createFromOptions>[0];

type WorkerScope = typeof globalThis & { ModuleFactory?: unknown; Module?: unknown };

let compiled: Promise<WebAssembly.Module> | undefined;

function compileOnce(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compileStreaming(fetch(wasmUrl)).catch((error: unknown) => {
    compiled = undefined;
    throw error;
  });
  return compiled;
}

/** Call right before each `Task.createFromOptions(fileset(), …)`: tasks-vision consumes both globals. */
export async function prepareWasmForNextTask(): Promise<void> {
  const module = await compileOnce();
  const scope = globalThis as WorkerScope;
  scope.ModuleFactory = ModuleFactory;
  scope.Module = {
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
      void WebAssembly.instantiate(module, imports).then(receive);
      return {};
    },
  };
}

export function wasmFileset(): WasmFileset {
  return { wasmLoaderPath: '', wasmBinaryPath: wasmUrl };
}

/** Starts the download and compilation early (e.g. when the selfie step opens). */
export function warmWasm(): void {
  void compileOnce().catch(() => undefined);
}
