import type { FaceFrameAnalysis } from '../../core/face/types.js';
import type {
  FaceTaskSelection,
  FaceWorkerLoaded,
  FaceWorkerRequest,
  FaceWorkerResponse,
} from '../worker/protocol.js';
import { abortable, WorkerChannel } from '../worker/worker-channel.js';

export interface FaceWorkerClientOptions {
  /** Try tasks-vision's GPU delegate when WebGL2 runs on real hardware (never on a software rasteriser). */
  readonly preferGpu?: boolean;
}

/**
 * The main-thread end of the face worker: created on first use, so nothing is downloaded before the
 * selfie step needs it; `dispose` closes the tasks-vision tasks before terminating the worker.
 */
export class FaceWorkerClient {
  private readonly channel = new WorkerChannel<FaceWorkerRequest, FaceWorkerResponse>(
    'face worker',
    () =>
      new Worker(new URL('../worker/face-worker.ts', import.meta.url), { type: 'module', name: 'idv-face' }),
  );
  private readonly loaded = new Map<string, Promise<FaceWorkerLoaded>>();

  constructor(private readonly options: FaceWorkerClientOptions = {}) {}

  /** Loads the selected tasks once; later calls with the same selection share the first load. */
  load(tasks: FaceTaskSelection, signal?: AbortSignal): Promise<FaceWorkerLoaded> {
    const key = `${tasks.detector}:${tasks.landmarker}`;
    let loading = this.loaded.get(key);
    if (!loading) {
      loading = this.channel
        .request({ type: 'load', tasks, preferGpu: this.options.preferGpu ?? false })
        .then((response) => {
          if (response.type !== 'loaded') throw new Error(`unexpected worker answer ${response.type}`);
          return response.info;
        });
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
    const response = await this.channel.request({ type: 'analyze', bitmap, timestamp, tasks }, [bitmap]);
    if (response.type !== 'result') throw new Error(`unexpected worker answer ${response.type}`);
    return response.analysis;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
