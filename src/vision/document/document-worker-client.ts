import type { Quad } from '../../core/document/geometry.js';
import type { DocumentAnalysis } from '../../core/document/pipeline.js';
import type { DocumentDetectorInfo } from './interfaces.js';
import type { DocumentWorkerRequest, DocumentWorkerResponse } from './protocol.js';

type Pending = { resolve: (response: DocumentWorkerResponse) => void; reject: (error: Error) => void };
type RequestBody<T> = T extends { id: number } ? Omit<T, 'id'> : never;

/**
 * The main-thread end of the document worker. The worker is created on first use (nothing is
 * downloaded before a document step needs it), every request gets exactly one answer, and `dispose`
 * releases the inference session before terminating the worker.
 */
export class DocumentWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private loading: Promise<DocumentDetectorInfo> | undefined;
  private disposed = false;

  /** Loads the model once; later calls share the first load. */
  load(signal?: AbortSignal): Promise<DocumentDetectorInfo> {
    if (!this.loading) {
      const loading = this.request({ type: 'load' }).then((response) => {
        if (response.type !== 'loaded') throw new Error(`unexpected worker answer ${response.type}`);
        return response.info;
      });
      loading.catch(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return abortable(this.loading, signal);
  }

  async detect(bitmap: ImageBitmap, recent: readonly Quad[] | null): Promise<DocumentAnalysis> {
    const response = await this.request({ type: 'detect', bitmap, recent }, [bitmap]);
    if (response.type !== 'result') throw new Error(`unexpected worker answer ${response.type}`);
    return response.analysis;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new Error('document worker disposed'));
    this.pending.clear();
    if (!worker) return;
    // Let the worker release the session (frees wasm memory), then end it regardless.
    const id = this.nextId++;
    const terminate = (): void => worker.terminate();
    const timer = setTimeout(terminate, 1000);
    worker.addEventListener('message', (event: MessageEvent<DocumentWorkerResponse>) => {
      if (event.data.id === id) {
        clearTimeout(timer);
        terminate();
      }
    });
    worker.postMessage({ type: 'dispose', id } satisfies DocumentWorkerRequest);
  }

  private ensureWorker(): Worker {
    if (this.disposed) throw new Error('document worker disposed');
    if (!this.worker) {
      const worker = new Worker(new URL('./document-worker.ts', import.meta.url), {
        type: 'module',
        name: 'idv-document',
      });
      worker.addEventListener('message', (event: MessageEvent<DocumentWorkerResponse>) =>
        this.settle(event.data),
      );
      worker.addEventListener('error', (event) =>
        this.failAll(new Error(event.message || 'document worker failed')),
      );
      this.worker = worker;
    }
    return this.worker;
  }

  private request(
    body: RequestBody<DocumentWorkerRequest>,
    transfer: Transferable[] = [],
  ): Promise<DocumentWorkerResponse> {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const id = this.nextId++;
    return new Promise<DocumentWorkerResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id } as DocumentWorkerRequest, transfer);
    });
  }

  private settle(response: DocumentWorkerResponse): void {
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
