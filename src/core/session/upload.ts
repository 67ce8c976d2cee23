/**
 * Uploading one captured image: the request goes through an injected transport (XMLHttpRequest in the
 * browser, for upload progress), network failures, 429 and 5xx answers are retried with exponential
 * back-off and jitter, and every attempt carries the same Idempotency-Key, so a retry of an upload the
 * service did receive is answered from its record instead of storing the image twice.
 */
import { apiError, ClientApiError, type IntakeResult } from './client.js';
import type { ImageKind } from './flows.js';

export interface UploadRequest {
  readonly url: string;
  readonly uploadToken: string;
  readonly body: Blob;
  readonly idempotencyKey: string;
  /** On-device figures (hints only), sent as the Idv-Device-Metrics header. */
  readonly metrics?: Readonly<Record<string, string | number | boolean | null>>;
}

/** A transport's answer: status 0 means the request never got an answer (network failure, abort). */
export interface TransportResponse {
  readonly status: number;
  readonly body: unknown;
  /** Seconds from a Retry-After header, when present. */
  readonly retryAfter?: number;
}

export type UploadTransport = (
  request: UploadRequest,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
) => Promise<TransportResponse>;

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };

export interface UploadOptions {
  readonly transport: UploadTransport;
  readonly policy?: RetryPolicy;
  readonly onProgress?: (fraction: number) => void;
  /** Called before each retry with the attempt number (2, 3, …) and the delay about to be waited. */
  readonly onRetry?: (attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export function isRetryable(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** Full-jitter exponential back-off: a random delay up to base·2^(attempt−1), capped. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function intakeUrl(apiBase: string, kind: ImageKind): string {
  return `${apiBase}/v1/client/images?kind=${encodeURIComponent(kind)}`;
}

export async function uploadImage(request: UploadRequest, options: UploadOptions): Promise<IntakeResult> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? sleepFor;
  for (let attempt = 1; ; attempt += 1) {
    options.signal?.throwIfAborted();
    const response = await options.transport(
      request,
      (fraction) => options.onProgress?.(fraction),
      options.signal,
    );
    if (response.status >= 200 && response.status < 300) return response.body as IntakeResult;
    if (!isRetryable(response.status) || attempt >= policy.attempts) {
      if (response.status === 0)
        throw new ClientApiError(0, 'network_error', 'The upload could not reach the service.');
      throw apiError(response.status, response.body);
    }
    const delay = Math.max(backoffDelay(attempt, policy, options.random), (response.retryAfter ?? 0) * 1000);
    options.onRetry?.(attempt + 1, delay);
    options.onProgress?.(0);
    await sleep(delay);
  }
}
