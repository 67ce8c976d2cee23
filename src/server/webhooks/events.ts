/**
 * Session events and the outbox they are written to. `recordEvent` runs inside the transaction of the
 * change it describes, so the event commits exactly when the change does: a crash can neither lose an
 * event of a committed change nor leave one for a change that rolled back. Delivery happens later, from
 * the outbox (see worker.ts).
 */
import { newId } from '../secrets.js';
import { eventSessionView, type EventSessionView } from '../sessions/view.js';
import type { EventRow, SessionRow, Store } from '../store/store.js';

export const EVENT_TYPES = [
  'session.created',
  'session.capturing',
  'session.images_complete',
  'session.completed',
  'session.failed',
  'session.expired',
  'session.cancelled',
  'session.decided',
  'session.redacted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The event as it is sent and as the API shows it. */
export interface WebhookEvent {
  id: string;
  type: EventType;
  createdAt: string;
  environment: string;
  data: { session: EventSessionView };
}

const listeners = new Set<() => void>();

/** Calls `listener` whenever an event is written (the delivery worker wakes on it); returns the undo. */
export function onEventRecorded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Writes the event for a change of `session` (the row as it is after the change). Call it with the
 * transaction's store. The session object is a snapshot: later changes do not alter what this event says.
 */
export async function recordEvent(
  store: Store,
  type: EventType,
  session: SessionRow,
  now: string,
): Promise<void> {
  await store.insertEvent({
    id: newId('evt_'),
    environment: session.environment,
    session_id: session.id,
    type,
    session: JSON.stringify(eventSessionView(session)),
    created_at: now,
    dispatched: 0,
  });
  for (const listener of listeners) listener();
}

export function eventOf(row: EventRow): WebhookEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    createdAt: row.created_at,
    environment: row.environment,
    data: { session: JSON.parse(row.session) as EventSessionView },
  };
}

/** The fields redaction removes from the session, also removed from the snapshots of its past events. */
const REDACTED_FIELDS = ['reference', 'state', 'redirectUrl', 'metadata'] as const;

export async function redactEvents(store: Store, sessionId: string): Promise<void> {
  for (const row of await store.listSessionEvents(sessionId)) {
    const session = JSON.parse(row.session) as Record<string, unknown>;
    for (const field of REDACTED_FIELDS) session[field] = null;
    await store.updateEventSession(row.seq, JSON.stringify(session));
  }
}
