/**
 * When to try a failed delivery again: exponential back-off from `baseMs`, capped at `maxMs`, with
 * jitter (each delay is drawn between half and all of its step), so receivers that come back after an
 * outage are not hit by every retry at once. A delivery is given up once the next try would fall more
 * than `giveUpAfterMs` after the delivery was made (three days by default).
 */

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  giveUpAfterMs: number;
}

/** The delay after failed attempt number `attempt` (1 for the first). */
export function retryDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(step * (0.5 + random() * 0.5));
}

/** The time of the next try, or null when the delivery should be given up. */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempt: number,
  createdAt: Date,
  now: Date,
  random = Math.random,
): Date | null {
  const next = new Date(now.getTime() + retryDelay(policy, attempt, random));
  return next.getTime() - createdAt.getTime() > policy.giveUpAfterMs ? null : next;
}
