/**
 * The service's own secret material and the primitives built on it: random tokens, one-way hashes for
 * stored credentials, HMAC signatures for short-lived URLs, and authenticated encryption for data at rest
 * (applicant data, replayable idempotent responses).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_FILE = 'secret.key';

/**
 * The 32-byte application key: from `IDV_SECRET_KEY` (base64) when set — needed when several instances
 * share one database — otherwise generated into the data directory on first start (mode 0600).
 */
export function loadAppKey(dataDir: string, fromEnv = process.env['IDV_SECRET_KEY']): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('IDV_SECRET_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    // `wx` fails if another process created it first; then we read theirs.
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
  return key;
}

/**
 * Random bytes for tokens and ids, drawn from the CSPRNG 4 KiB at a time rather than one call per value
 * (every session creation takes several). Each byte is handed out once.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function takeRandom(length: number): Buffer {
  if (poolAt + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  poolAt += length;
  return pool.subarray(poolAt - length, poolAt);
}

/** A random token: `prefix` plus 256 bits, base64url. */
export function newToken(prefix: string): string {
  return prefix + takeRandom(32).toString('base64url');
}

// The base64url characters, and the same 64 characters in ASCII order.
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SORTED = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const TO_SORTED = new Uint8Array(128);
for (let i = 0; i < 64; i++) TO_SORTED[BASE64URL.charCodeAt(i)] = SORTED.charCodeAt(i);

/**
 * An identifier: `prefix` plus 22 characters of the base64url set, holding 48 bits of the time in
 * milliseconds and then 80 random bits, written with the characters in ASCII order so that ids sort as
 * they were made. New rows then land together at the end of each index on an id, instead of on a
 * random page of it: a commit writes a few pages instead of one per row and index (as UUIDv7 does).
 */
export function newId(prefix: string): string {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  takeRandom(10).copy(bytes, 6);
  const text = Buffer.from(bytes.toString('base64url'), 'latin1');
  for (let i = 0; i < text.length; i++) text[i] = TO_SORTED[text[i]!]!;
  return prefix + text.toString('latin1');
}

/**
 * The stored form of a credential. Tokens carry 256 random bits, so a plain SHA-256 is as strong as a
 * slow password hash here and costs microseconds on every request.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export class Secrets {
  private readonly signingKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(appKey: Buffer) {
    // Separate keys per purpose, derived from the one application key.
    this.signingKey = createHmac('sha256', appKey).update('idv:sign').digest();
    this.encryptionKey = createHmac('sha256', appKey).update('idv:encrypt').digest();
  }

  sign(message: string): string {
    return createHmac('sha256', this.signingKey).update(message).digest('base64url');
  }

  verify(message: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(message));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** AES-256-GCM; the output is `v1.` + base64url(iv ‖ tag ‖ ciphertext). */
  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return 'v1.' + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown ciphertext version');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
