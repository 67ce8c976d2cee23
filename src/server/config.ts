/** Service settings: from command-line options first, then `IDV_*` environment variables, then defaults. */

export interface ServerConfig {
  dataDir: string;
  host: string;
  port: number;
  /** The origin people reach the service at; hosted links and signed URLs are built on it. */
  publicUrl: string | undefined;
  /** Integrator API requests per key per minute. */
  rateLimitPerMinute: number;
  /** Largest accepted image upload, in bytes. */
  maxUploadBytes: number;
  /** Largest accepted image, in pixels (width × height), checked from the header before decoding. */
  maxImagePixels: number;
  clientTokenTtlSeconds: number;
  uploadTokenTtlSeconds: number;
  defaultSessionTtlSeconds: number;
  /** How often active sessions past their time are marked expired. */
  sweepIntervalSeconds: number;
  logLevel: string;
  /** Webhook delivery: the time limit of one attempt. */
  webhookTimeoutMs: number;
  /** First retry delay; each later one doubles, up to `webhookRetryMaxMs`, with jitter. */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** How long a delivery is retried before it is given up (three days). */
  webhookRetryForSeconds: number;
  /** Deliveries in flight at once. */
  webhookConcurrency: number;
  /** How often the idle worker looks for due retries (a new event wakes it at once). */
  webhookPollMs: number;
  /** How long events and settled deliveries (with their attempts) are kept for the API. */
  webhookRetentionSeconds: number;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function loadConfig(overrides: Partial<ServerConfig> & { dataDir: string }): ServerConfig {
  return {
    host: process.env['IDV_HOST'] ?? '127.0.0.1',
    port: envNumber('IDV_PORT', 8787),
    publicUrl: process.env['IDV_PUBLIC_URL'] || undefined,
    rateLimitPerMinute: envNumber('IDV_RATE_LIMIT_PER_MINUTE', 600),
    maxUploadBytes: envNumber('IDV_MAX_UPLOAD_BYTES', 10 * 1024 * 1024),
    maxImagePixels: envNumber('IDV_MAX_IMAGE_PIXELS', 25_000_000),
    clientTokenTtlSeconds: envNumber('IDV_CLIENT_TOKEN_TTL_SECONDS', 20 * 60),
    uploadTokenTtlSeconds: envNumber('IDV_UPLOAD_TOKEN_TTL_SECONDS', 30 * 60),
    defaultSessionTtlSeconds: envNumber('IDV_SESSION_TTL_SECONDS', 24 * 60 * 60),
    sweepIntervalSeconds: envNumber('IDV_SWEEP_INTERVAL_SECONDS', 60),
    logLevel: process.env['IDV_LOG_LEVEL'] ?? 'info',
    webhookTimeoutMs: envNumber('IDV_WEBHOOK_TIMEOUT_MS', 10_000),
    webhookRetryBaseMs: envNumber('IDV_WEBHOOK_RETRY_BASE_MS', 30_000),
    webhookRetryMaxMs: envNumber('IDV_WEBHOOK_RETRY_MAX_MS', 60 * 60 * 1000),
    webhookRetryForSeconds: envNumber('IDV_WEBHOOK_RETRY_FOR_SECONDS', 3 * 24 * 60 * 60),
    webhookConcurrency: envNumber('IDV_WEBHOOK_CONCURRENCY', 16),
    webhookPollMs: envNumber('IDV_WEBHOOK_POLL_MS', 500),
    webhookRetentionSeconds: envNumber('IDV_WEBHOOK_RETENTION_SECONDS', 30 * 24 * 60 * 60),
    ...overrides,
  };
}
