/**
 * The delivery log as the API shows it (every attempt with its time, outcome, response code and latency),
 * the outbox's events, and redelivery: a delivery, settled or not, is queued to be sent again now.
 */
import { conflict, notFound } from '../errors.js';
import type { Environment } from '../store/schema.js';
import type { AttemptRow, DeliveryRow, Store } from '../store/store.js';
import { eventOf, type WebhookEvent } from './events.js';
import type { DeliveryWorker } from './worker.js';

export interface AttemptView {
  attempt: number;
  at: string;
  outcome: AttemptRow['outcome'];
  responseCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  sessionId: string;
  status: DeliveryRow['status'];
  attemptCount: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastResponseCode: number | null;
  createdAt: string;
  attempts: AttemptView[];
}

function deliveryView(row: DeliveryRow, attempts: AttemptRow[]): DeliveryView {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    sessionId: row.session_id,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastResponseCode: row.last_response_code,
    createdAt: row.created_at,
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at,
      outcome: attempt.outcome,
      responseCode: attempt.response_code,
      latencyMs: attempt.latency_ms,
      error: attempt.error,
    })),
  };
}

export class Deliveries {
  constructor(private readonly deps: { store: Store; worker: DeliveryWorker | null; now?: () => Date }) {}

  async list(
    environment: Environment,
    endpointId: string,
    filter: { status?: DeliveryRow['status']; sessionId?: string; eventId?: string; limit: number },
  ): Promise<DeliveryView[]> {
    const endpoint = await this.deps.store.getWebhookEndpoint(endpointId, environment);
    if (!endpoint) throw notFound('webhook endpoint', 'id');
    const rows = await this.deps.store.listDeliveries({ endpointId, ...filter });
    const attempts = await this.deps.store.listAttempts(rows.map((row) => row.id));
    return rows.map((row) =>
      deliveryView(
        row,
        attempts.filter((attempt) => attempt.delivery_id === row.id),
      ),
    );
  }

  async get(environment: Environment, id: string): Promise<DeliveryView> {
    const row = await this.deps.store.getDelivery(id, environment);
    if (!row) throw notFound('webhook delivery', 'id');
    return deliveryView(row, await this.deps.store.listAttempts([row.id]));
  }

  /** Sends the delivery's event again as soon as the worker can (after the session's earlier ones). */
  async redeliver(environment: Environment, id: string): Promise<DeliveryView> {
    const row = await this.deps.store.getDelivery(id, environment);
    if (!row) throw notFound('webhook delivery', 'id');
    if (this.deps.worker?.isInFlight(id)) {
      throw conflict('delivery_in_flight', 'This delivery is being sent right now; try again in a moment.');
    }
    await this.deps.store.updateDelivery(id, {
      status: 'pending',
      next_attempt_at: (this.deps.now?.() ?? new Date()).toISOString(),
    });
    this.deps.worker?.wake();
    return this.get(environment, id);
  }

  async events(
    environment: Environment,
    filter: { sessionId?: string; type?: string; limit: number },
  ): Promise<WebhookEvent[]> {
    return (await this.deps.store.listEvents({ environment, ...filter })).map(eventOf);
  }

  async event(environment: Environment, id: string): Promise<WebhookEvent> {
    const row = await this.deps.store.getEvent(id);
    if (!row || row.environment !== environment) throw notFound('event', 'id');
    return eventOf(row);
  }
}
