import type { Quad } from '../../core/document/geometry.js';
import type { DocumentAnalysis } from '../../core/document/pipeline.js';
import { abortable, WorkerChannel } from '../worker/worker-channel.js';
import type { DocumentDetectorInfo, DocumentFrame } from './interfaces.js';
import type { DocumentWorkerRequest, DocumentWorkerResponse } from './protocol.js';

/**
 * The main-thread end of the document worker: created on first use, so nothing is downloaded before a
 * document step needs it; `dispose` releases the inference session before terminating the worker.
 */
export class DocumentWorkerClient {
  private readonly channel = new WorkerChannel<DocumentWorkerRequest, DocumentWorkerResponse>(
    'document worker',
    () =>
      new Worker(new URL('./document-worker.ts', import.meta.url), { type: 'module', name: 'idv-document' }),
  );
  private loading: Promise<DocumentDetectorInfo> | undefined;

  /** Loads the model once; later calls share the first load. */
  load(signal?: AbortSignal): Promise<DocumentDetectorInfo> {
    if (!this.loading) {
      const loading = this.channel.request({ type: 'load' }).then((response) => {
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

  async detect(
    frame: DocumentFrame,
    recent: readonly Quad[] | null,
    thorough: boolean,
  ): Promise<DocumentAnalysis> {
    try {
      const response = await this.channel.request({ type: 'detect', frame, recent, thorough }, [frame]);
      if (response.type !== 'result') throw new Error(`unexpected worker answer ${response.type}`);
      return response.analysis;
    } finally {
      // A no-op once the frame went to the worker; where it never left (no worker), it frees the
      // camera's buffer now rather than at garbage collection.
      frame.close();
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
