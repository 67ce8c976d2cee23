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

/** A random token: `prefix` plus 256 bits, base64url. */
export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A random identifier: `prefix` plus 128 bits, base64url (22 characters). */
export function newId(prefix: string): string {
  return prefix + randomBytes(16).toString('base64url');
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
