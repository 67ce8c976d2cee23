/**
 * The main-thread end of a vision worker, whatever it runs: the worker is created on first use (nothing
 * is downloaded before a step needs it), every request gets exactly one answer matched by id, a crashed
 * worker fails every request waiting on it, and `dispose` lets the worker release its models before
 * terminating it. The face and document clients each speak their own protocol over one of these.
 */

/** What every worker protocol shares: numbered requests, a dispose request and an error answer. */
export type ChannelRequest = { readonly id: number; readonly type: string };
export type ChannelResponse =
  | { readonly id: number; readonly type: string }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

/** A request as the caller writes it: the channel numbers it. */
export type RequestBody<T> = T extends { id: number } ? Omit<T, 'id'> : never;

type Pending<Res> = { resolve: (response: Res) => void; reject: (error: Error) => void };

/** How long a disposing worker may take to release its models before it is terminated anyway. */
const DISPOSE_GRACE_MS = 1000;

export class WorkerChannel<Req extends ChannelRequest, Res extends ChannelResponse> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Res>>();
  private disposed = false;

  /**
   * `create` must hold the `new Worker(new URL('…', import.meta.url))` expression itself, in the
   * client's module, so that Vite finds and bundles the worker script.
   */
  constructor(
    private readonly name: string,
    private readonly create: () => Worker,
  ) {}

  request(body: RequestBody<Req>, transfer: Transferable[] = []): Promise<Res> {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id }, transfer);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error(`${this.name} disposed`));
    if (!worker) return;
    // Let the worker release its models (wasm memory, GL contexts), then end it regardless.
    const id = this.nextId++;
    const terminate = (): void => worker.terminate();
    const timer = setTimeout(terminate, DISPOSE_GRACE_MS);
    worker.addEventListener('message', (event: MessageEvent<Res>) => {
      if (event.data.id === id) {
        clearTimeout(timer);
        terminate();
      }
    });
    worker.postMessage({ type: 'dispose', id });
  }

  private ensureWorker(): Worker {
    if (this.disposed) throw new Error(`${this.name} disposed`);
    if (!this.worker) {
      const worker = this.create();
      worker.addEventListener('message', (event: MessageEvent<Res>) => this.settle(event.data));
      worker.addEventListener('error', (event) =>
        this.failAll(new Error(event.message || `${this.name} failed`)),
      );
      this.worker = worker;
    }
    return this.worker;
  }

  private settle(response: Res): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if ('message' in response && response.type === 'error') pending.reject(new Error(response.message));
    else pending.resolve(response);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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
