import type { FaceFrameAnalysis } from '../../core/face/types.js';
import type {
  FaceTaskSelection,
  FaceWorkerLoaded,
  FaceWorkerRequest,
  FaceWorkerResponse,
} from '../worker/protocol.js';

type Pending = { resolve: (response: FaceWorkerResponse) => void; reject: (error: Error) => void };
type RequestBody<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export interface FaceWorkerClientOptions {
  /** Try tasks-vision's GPU delegate when WebGL2 runs on real hardware (never on a software rasteriser). */
  readonly preferGpu?: boolean;
}

/**
 * The main-thread end of the face worker. The worker is created on first use (nothing is downloaded
 * before the selfie step needs it), every request gets exactly one answer, and `dispose` closes the
 * tasks-vision tasks before terminating the worker.
 */
export class FaceWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly loaded = new Map<string, Promise<FaceWorkerLoaded>>();
  private disposed = false;

  constructor(private readonly options: FaceWorkerClientOptions = {}) {}

  /** Loads the selected tasks once; later calls with the same selection share the first load. */
  load(tasks: FaceTaskSelection, signal?: AbortSignal): Promise<FaceWorkerLoaded> {
    const key = `${tasks.detector}:${tasks.landmarker}`;
    let loading = this.loaded.get(key);
    if (!loading) {
      loading = this.request({ type: 'load', tasks, preferGpu: this.options.preferGpu ?? false }).then(
        (response) => {
          if (response.type !== 'loaded') throw new Error(`unexpected worker answer ${response.type}`);
          return response.info;
        },
      );
      loading.catch(() => this.loaded.delete(key));
      this.loaded.set(key, loading);
    }
    return abortable(loading, signal);
  }

  async analyze(
    bitmap: ImageBitmap,
    timestamp: number,
    tasks: FaceTaskSelection,
  ): Promise<FaceFrameAnalysis> {
    const response = await this.request({ type: 'analyze', bitmap, timestamp, tasks }, [bitmap]);
    if (response.type !== 'result') throw new Error(`unexpected worker answer ${response.type}`);
    return response.analysis;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new Error('face worker disposed'));
    this.pending.clear();
    if (!worker) return;
    // Let the worker close its tasks (frees wasm memory and GL contexts), then end it regardless.
    const id = this.nextId++;
    const terminate = (): void => worker.terminate();
    const timer = setTimeout(terminate, 1000);
    worker.addEventListener('message', (event: MessageEvent<FaceWorkerResponse>) => {
      if (event.data.id === id) {
        clearTimeout(timer);
        terminate();
      }
    });
    worker.postMessage({ type: 'dispose', id } satisfies FaceWorkerRequest);
  }

  private ensureWorker(): Worker {
    if (this.disposed) throw new Error('face worker disposed');
    if (!this.worker) {
      const worker = new Worker(new URL('../worker/face-worker.ts', import.meta.url), {
        type: 'module',
        name: 'idv-face',
      });
      worker.addEventListener('message', (event: MessageEvent<FaceWorkerResponse>) =>
        this.settle(event.data),
      );
      worker.addEventListener('error', (event) =>
        this.failAll(new Error(event.message || 'face worker failed')),
      );
      this.worker = worker;
    }
    return this.worker;
  }

  private request(
    body: RequestBody<FaceWorkerRequest>,
    transfer: Transferable[] = [],
  ): Promise<FaceWorkerResponse> {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const id = this.nextId++;
    return new Promise<FaceWorkerResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id } as FaceWorkerRequest, transfer);
    });
  }

  private settle(response: FaceWorkerResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (response.type === 'error') pending.reject(new Error(response.message));
    else pending.resolve(response);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
