/**
 * Webhook signatures, for the service and for integrators (this file needs nothing but node:crypto; copy
 * it, or import it as `idv-capture/webhooks` with a loader that strips types: tsx, or Node ≥ 22.6).
 *
 * Every delivery carries `Idv-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`,
 * where `secret` is the endpoint's `whsec_…` string and `body` the raw request body, byte for byte. A
 * receiver checks the signature over the body as it arrived (before any JSON parsing), and refuses a
 * timestamp more than 300 seconds away from its clock, so a captured delivery cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'idv-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookVerificationCode =
  'signature_missing' | 'signature_malformed' | 'timestamp_outside_tolerance' | 'signature_mismatch';

// Written without parameter properties, so Node's own type stripping can run this file as it is.
export class WebhookVerificationError extends Error {
  readonly code: WebhookVerificationCode;

  constructor(code: WebhookVerificationCode, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
  }
}

function hmacHex(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The `Idv-Signature` header value for `body` at `timestamp` (unix seconds). */
export function signWebhook(
  secret: string,
  body: string | Uint8Array,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export interface VerifyOptions {
  /** Largest allowed distance between the signature's time and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock, in unix seconds (default: now). */
  now?: number;
}

/**
 * Checks a delivery and returns its parsed JSON body; throws WebhookVerificationError (with a `code`)
 * when the header is missing or malformed, the timestamp is outside the tolerance, or no `v1` signature
 * matches. Several `v1=` entries are allowed; any one matching is enough. Comparison is constant-time.
 */
export function verifyWebhook<T = unknown>(
  body: string | Uint8Array,
  header: string | string[] | null | undefined,
  secret: string,
  options: VerifyOptions = {},
): T {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) throw new WebhookVerificationError('signature_missing', 'No Idv-Signature header.');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [name, ...rest] = part.trim().split('=');
    const item = rest.join('=');
    if (name === 't' && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    else if (name === 'v1' && /^[0-9a-f]{64}$/i.test(item)) signatures.push(item.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError('signature_malformed', 'Idv-Signature needs t=… and v1=….');
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_outside_tolerance',
      `The signature is ${Math.abs(now - timestamp)} s from this clock; at most ${tolerance} s is allowed.`,
    );
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('signature_mismatch', 'No signature matches the body.');
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return JSON.parse(text) as T;
}
