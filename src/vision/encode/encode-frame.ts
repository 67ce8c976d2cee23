import type { EncodeRequest, EncodeResponse } from './protocol.js';

export interface EncodedFrame {
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
}

/** The service checks selfies at up to this size; larger only costs upload time on a phone network. */
export const MAX_CAPTURE_SIDE = 1280;

let worker: Worker | undefined;
let nextId = 1;

/**
 * Grabs the current video frame (scaled so its long side is at most `maxSide`) and encodes it as JPEG
 * in a worker. The frame is read on the main thread (a fast GPU copy); encoding happens off it.
 */
export async function captureFrame(
  video: HTMLVideoElement,
  options: { maxSide?: number; quality?: number } = {},
): Promise<EncodedFrame> {
  const maxSide = options.maxSide ?? MAX_CAPTURE_SIDE;
  const scale = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
  const bitmap = await createImageBitmap(video, {
    resizeWidth: Math.round(video.videoWidth * scale),
    resizeHeight: Math.round(video.videoHeight * scale),
    resizeQuality: 'high',
  });
  worker ??= new Worker(new URL('./encode-worker.ts', import.meta.url), {
    type: 'module',
    name: 'idv-encode',
  });
  const id = nextId++;
  const active = worker;
  return new Promise<EncodedFrame>((resolve, reject) => {
    const onMessage = (event: MessageEvent<EncodeResponse>): void => {
      if (event.data.id !== id) return;
      active.removeEventListener('message', onMessage);
      if ('error' in event.data) reject(new Error(event.data.error));
      else resolve(event.data);
    };
    active.addEventListener('message', onMessage);
    const request: EncodeRequest = { id, bitmap, type: 'image/jpeg', quality: options.quality ?? 0.9 };
    active.postMessage(request, [bitmap]);
  });
}
