import { describe, expect, it } from 'vitest';
import { nextAttemptAt, retryDelay } from './backoff.js';
import type { WebhookVerificationError } from './verify.js';
import { signWebhook, verifyWebhook } from './verify.js';

const SECRET = 'whsec_test';
const BODY = '{"id":"evt_1","type":"session.completed"}';

function code(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as WebhookVerificationError).code;
  }
}

describe('verifyWebhook', () => {
  it('accepts its own signature within 300 s either way, and returns the parsed body', () => {
    const t = 1_700_000_000;
    const header = signWebhook(SECRET, BODY, t);
    expect(verifyWebhook(BODY, header, SECRET, { now: t + 300 })).toEqual(JSON.parse(BODY));
    expect(code(() => verifyWebhook(BODY, header, SECRET, { now: t - 300 }))).toBe('ok');
    expect(code(() => verifyWebhook(BODY, header, SECRET, { now: t + 301 }))).toBe(
      'timestamp_outside_tolerance',
    );
    expect(code(() => verifyWebhook(Buffer.from(BODY), header, SECRET, { now: t }))).toBe('ok');
  });

  it('takes any matching v1 among several (secret rotation), and none of a wrong one', () => {
    const t = Math.floor(Date.now() / 1000);
    const good = signWebhook(SECRET, BODY, t).split(',')[1];
    const other = signWebhook('whsec_other', BODY, t).split(',')[1];
    expect(code(() => verifyWebhook(BODY, `t=${t},${other},${good}`, SECRET))).toBe('ok');
    expect(code(() => verifyWebhook(BODY, `t=${t},${other}`, SECRET))).toBe('signature_mismatch');
    expect(code(() => verifyWebhook(`${BODY} `, signWebhook(SECRET, BODY, t), SECRET))).toBe(
      'signature_mismatch',
    );
    expect(code(() => verifyWebhook(BODY, `v1=${'0'.repeat(64)}`, SECRET))).toBe('signature_malformed');
    expect(code(() => verifyWebhook(BODY, '', SECRET))).toBe('signature_missing');
  });
});

describe('retry schedule', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, giveUpAfterMs: 3 * 24 * 3600 * 1000 };

  it('doubles from the base up to the cap, with jitter between half and all of each step', () => {
    expect(retryDelay(policy, 1, () => 0)).toBe(500);
    expect(retryDelay(policy, 1, () => 1)).toBe(1000);
    expect(retryDelay(policy, 4, () => 1)).toBe(8000);
    expect(retryDelay(policy, 30, () => 1)).toBe(60_000);
    expect(retryDelay(policy, 30, () => 0)).toBe(30_000);
  });

  it('gives up once the next try would fall beyond three days', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const nearEnd = new Date(created.getTime() + policy.giveUpAfterMs - 10_000);
    expect(nextAttemptAt(policy, 50, created, nearEnd, () => 0)).toBeNull();
    expect(nextAttemptAt(policy, 1, created, created, () => 1)).toEqual(new Date(created.getTime() + 1000));
  });
});
