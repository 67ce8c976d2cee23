/// <reference lib="webworker" />
// Encodes a captured frame to JPEG off the main thread (OffscreenCanvas), so the page never stalls.
import type { EncodeRequest, EncodeResponse } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<EncodeRequest>) => {
  const { id, bitmap, type, quality } = event.data;
  void (async () => {
    try {
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2D context in the encode worker');
      context.drawImage(bitmap, 0, 0);
      const blob = await canvas.convertToBlob({ type, quality });
      scope.postMessage({ id, blob, width: bitmap.width, height: bitmap.height } satisfies EncodeResponse);
    } catch (error) {
      scope.postMessage({
        id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies EncodeResponse);
    } finally {
      bitmap.close();
    }
  })();
});
