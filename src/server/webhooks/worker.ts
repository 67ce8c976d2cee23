/**
 * The delivery worker, inside the server process. Each turn it
 *   1. fans new outbox events out into one delivery per interested endpoint (and marks them dispatched,
 *      in the same transaction: a crash in between repeats nothing and loses nothing);
 *   2. takes due deliveries (a session's next one only once its earlier ones to that endpoint are settled)
 *      with a lease, so neither a second worker nor a later turn sends them while they are in flight;
 *   3. sends them, records the attempt and either settles the delivery or schedules its retry.
 * A crash while a delivery is in flight leaves it pending with its lease; once the lease runs out it is
 * sent again with the same event id. That is the only way a receiver sees an event twice.
 */
import { newId, type Secrets } from '../secrets.js';
import type { DeliveryRow, EventRow, Store } from '../store/store.js';
import { nextAttemptAt, type RetryPolicy } from './backoff.js';
import { wants } from './endpoints.js';
import { eventOf, onEventRecorded } from './events.js';
import { createSender, type Sender, type SendResult } from './send.js';
import { signWebhook } from './verify.js';

export interface WorkerOptions {
  retry: RetryPolicy;
  /** Time limit of one attempt (connection, request and answer). */
  timeoutMs: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** How often to look for work when there was none. */
  pollMs: number;
}

const DISPATCH_BATCH = 500;
/** A lease outlives the attempt's own time limit by this much before a crashed attempt is retried. */
const LEASE_MARGIN_MS = 5_000;
const USER_AGENT = 'idv-webhooks/1';

export class DeliveryWorker {
  private readonly sender: Sender;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightIds = new Set<string>();
  /** Decrypted endpoint secrets, by their ciphertext (a new secret is a new ciphertext). */
  private readonly secrets = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private turn: Promise<void> | undefined;
  private again = false;
  /** A turn is already set for now (so a burst of events sets one timer, not one each). */
  private soon = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      secrets: Secrets;
      onError: (error: unknown) => void;
      now?: () => Date;
    },
    private readonly options: WorkerOptions,
  ) {
    this.sender = createSender(options.concurrency);
  }

  start(): void {
    this.running = true;
    this.unsubscribe = onEventRecorded(this.wakeForEvent);
    this.schedule(0);
  }

  /** Lets in-flight attempts finish (their outcome is recorded) and stops taking new ones. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.turn;
    await Promise.all(this.inFlight);
    this.sender.close();
  }

  /** Asks for a turn soon (after a change that may have made work). */
  wake(): void {
    if (!this.running) return;
    if (this.turn) this.again = true;
    else if (!this.soon) {
      this.soon = true;
      this.schedule(0);
    }
  }

  /**
   * A new event: a turn now rather than at the next poll. Safe before the event's transaction commits:
   * the turn's own transaction queues behind it on the one writer (see group-commit.ts), so it sees the
   * event once committed, and never one that rolled back. Cheap per event: at most one timer is set.
   */
  private readonly wakeForEvent = () => this.wake();

  /** Whether an attempt of this delivery is being sent right now (by this process). */
  isInFlight(deliveryId: string): boolean {
    return this.inFlightIds.has(deliveryId);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runTurn(), delayMs);
    this.timer.unref();
  }

  private async runTurn(): Promise<void> {
    if (!this.running || this.turn) return;
    this.again = false;
    this.soon = false;
    let busy = false;
    this.turn = this.work().then(
      (found) => {
        busy = found;
      },
      (error: unknown) => this.deps.onError(error),
    );
    await this.turn;
    this.turn = undefined;
    if (this.running) this.schedule(busy || this.again ? 0 : this.options.pollMs);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** One turn; true when it found work (so the next turn comes at once). */
  private async work(): Promise<boolean> {
    const dispatched = await this.dispatch();
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return dispatched > 0;
    const claimed = await this.claim(free);
    for (const delivery of claimed) {
      this.inFlightIds.add(delivery.id);
      const attempt: Promise<void> = this.attempt(delivery)
        .catch((error: unknown) => this.deps.onError(error))
        .finally(() => {
          this.inFlight.delete(attempt);
          this.inFlightIds.delete(delivery.id);
          // A settled delivery may free its session's next one.
          this.wake();
        });
      this.inFlight.add(attempt);
    }
    return dispatched > 0 || claimed.length > 0;
  }

  private async dispatch(): Promise<number> {
    return this.deps.store.transaction(async (store) => {
      const events = await store.listUndispatchedEvents(DISPATCH_BATCH);
      if (events.length === 0) return 0;
      const endpoints = await store.listWebhookEndpoints();
      for (const event of events) {
        for (const endpoint of endpoints) {
          // An endpoint hears of changes made after it was added, never of older ones.
          if (endpoint.environment !== event.environment || endpoint.created_at > event.created_at) continue;
          if (!wants(endpoint, event.type)) continue;
          await store.insertDelivery(newDelivery(event, endpoint.id, event.created_at));
        }
      }
      await store.markEventsDispatched(events.map((event) => event.seq));
      return events.length;
    });
  }

  private async claim(limit: number): Promise<DeliveryRow[]> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS).toISOString();
    return this.deps.store.transaction(async (store) => {
      const due = await store.dueDeliveries(now.toISOString(), limit);
      const taken: DeliveryRow[] = [];
      for (const delivery of due) {
        if (await store.leaseDelivery(delivery.id, delivery.next_attempt_at ?? '', leaseUntil)) {
          taken.push(delivery);
        }
      }
      return taken;
    });
  }

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const { store, secrets } = this.deps;
    const [event, endpoint] = await Promise.all([
      store.getEvent(delivery.event_id),
      store.getWebhookEndpoint(delivery.endpoint_id),
    ]);
    const number = delivery.attempts + 1;
    const at = this.now();
    let result: SendResult;
    if (!event || !endpoint) {
      // The endpoint was removed while this was being taken: nothing to send to.
      result = { outcome: 'refused', statusCode: null, latencyMs: 0, error: 'endpoint or event gone' };
    } else {
      const body = JSON.stringify(eventOf(event));
      let secret = this.secrets.get(endpoint.secret_enc);
      if (secret === undefined) {
        secret = secrets.decrypt(endpoint.secret_enc);
        if (this.secrets.size > 100) this.secrets.clear();
        this.secrets.set(endpoint.secret_enc, secret);
      }
      result = await this.sender.send({
        url: endpoint.url,
        environment: endpoint.environment,
        body,
        timeoutMs: this.options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'idv-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)),
          'idv-event-id': event.id,
          'idv-event-type': event.type,
          'idv-delivery-id': delivery.id,
          'idv-delivery-attempt': String(number),
        },
      });
    }
    await this.record(delivery, number, at, result);
  }

  private async record(delivery: DeliveryRow, number: number, at: Date, result: SendResult): Promise<void> {
    const now = this.now();
    const succeeded = result.outcome === 'succeeded';
    const retryAt = succeeded
      ? null
      : nextAttemptAt(this.options.retry, number, new Date(delivery.created_at), now);
    await this.deps.store.transaction(async (store) => {
      await store.insertAttempt({
        id: newId('wha_'),
        delivery_id: delivery.id,
        attempt: number,
        at: at.toISOString(),
        outcome: result.outcome,
        response_code: result.statusCode,
        latency_ms: result.latencyMs,
        error: result.error ? result.error.slice(0, 300) : null,
      });
      await store.updateDelivery(delivery.id, {
        status: succeeded ? 'succeeded' : retryAt ? 'pending' : 'failed',
        attempts: number,
        next_attempt_at: retryAt ? retryAt.toISOString() : null,
        last_attempt_at: at.toISOString(),
        last_response_code: result.statusCode,
      });
    });
  }
}

export function newDelivery(event: EventRow, endpointId: string, now: string): DeliveryRow {
  return {
    id: newId('whd_'),
    endpoint_id: endpointId,
    event_id: event.id,
    event_type: event.type,
    event_seq: event.seq,
    session_id: event.session_id,
    environment: event.environment,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    last_attempt_at: null,
    last_response_code: null,
    created_at: now,
  };
}
