/** Session lifecycle: pending → capturing → processing → completed | failed | expired | cancelled. */

export const SESSION_STATUSES = [
  'pending',
  'capturing',
  'processing',
  'completed',
  'failed',
  'expired',
  'cancelled',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const DECISIONS = ['approved', 'declined', 'review'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Statuses in which the person can still capture and the integrator can still edit the session. */
export function isActive(status: SessionStatus): boolean {
  return status === 'pending' || status === 'capturing';
}

export function isTerminal(status: SessionStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'expired' || status === 'cancelled';
}
