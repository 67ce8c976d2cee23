/**
 * The browser's upload transport: XMLHttpRequest, because fetch cannot report upload progress. Never
 * throws: a network failure, timeout or abort is answered as status 0 so the retry policy decides.
 */
import type { TransportResponse, UploadRequest, UploadTransport } from './upload.js';

const UPLOAD_TIMEOUT_MS = 60_000;

export const xhrTransport: UploadTransport = (request: UploadRequest, onProgress, signal) =>
  new Promise<TransportResponse>((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.setRequestHeader('authorization', `Bearer ${request.uploadToken}`);
    xhr.setRequestHeader('content-type', request.body.type || 'application/octet-stream');
    xhr.setRequestHeader('idempotency-key', request.idempotencyKey);
    if (request.metrics) xhr.setRequestHeader('idv-device-metrics', JSON.stringify(request.metrics));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    const failed = (): void => resolve({ status: 0, body: null });
    xhr.onerror = failed;
    xhr.ontimeout = failed;
    xhr.onabort = failed;
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      const retryAfter = Number(xhr.getResponseHeader('retry-after'));
      resolve({
        status: xhr.status,
        body,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfter } : {}),
      });
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.body);
  });
