/**
 * Webhook endpoints, per environment: a URL, the event types wanted and a signing secret that is shown
 * once, at creation. The secret is kept encrypted with the service's key (not hashed: every delivery is
 * signed with it). Shared by the API and `idv webhooks`.
 */
import { ApiError, notFound, unprocessable } from '../errors.js';
import { newId, newToken, type Secrets } from '../secrets.js';
import type { Environment } from '../store/schema.js';
import type { Store, WebhookEndpointRow } from '../store/store.js';
import { EVENT_TYPES, isEventType } from './events.js';
import { checkTarget, ForbiddenTargetError } from './guard.js';

export const SECRET_PREFIX = 'whsec_';
export const MAX_ENDPOINTS_PER_ENVIRONMENT = 16;
const ALL_EVENTS = '*';

export interface CreateEndpointInput {
  url: string;
  /** Event types, or `*` for all (the default). */
  events?: string[];
  description?: string;
}

export interface EndpointView {
  id: string;
  environment: Environment;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
}

export function endpointView(row: WebhookEndpointRow): EndpointView {
  return {
    id: row.id,
    environment: row.environment,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    createdAt: row.created_at,
  };
}

/** Whether an endpoint asked for events of `type`. */
export function wants(row: WebhookEndpointRow, type: string): boolean {
  const events = JSON.parse(row.events) as string[];
  return events.includes(ALL_EVENTS) || events.includes(type);
}

/**
 * The URL as it will be stored: absolute http(s), no credentials, https in live mode, and in live mode
 * resolving to public addresses only (checked again at every delivery).
 */
export async function checkEndpointUrl(raw: string, environment: Environment): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw unprocessable('webhook_url_invalid', 'The webhook URL is not an absolute URL.', 'url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw unprocessable('webhook_url_invalid', 'The webhook URL must use https (or http in sandbox).', 'url');
  }
  if (environment === 'live' && url.protocol !== 'https:') {
    throw unprocessable('webhook_url_invalid', 'Live webhook URLs must use https.', 'url');
  }
  if (url.username || url.password) {
    throw unprocessable('webhook_url_invalid', 'The webhook URL may not carry credentials.', 'url');
  }
  try {
    await checkTarget(url, environment);
  } catch (error) {
    if (error instanceof ForbiddenTargetError) {
      throw unprocessable(
        'webhook_url_forbidden',
        `Live webhooks may not target loopback, link-local or private addresses (${url.hostname} is ${error.address}).`,
        'url',
      );
    }
    throw unprocessable('webhook_url_unresolvable', `The host ${url.hostname} does not resolve.`, 'url');
  }
  url.hash = '';
  return url.toString();
}

function checkEvents(events: string[] | undefined): string[] {
  if (events === undefined || events.length === 0) return [ALL_EVENTS];
  const unknown = events.filter((type) => type !== ALL_EVENTS && !isEventType(type));
  if (unknown.length > 0) {
    throw unprocessable(
      'event_type_unknown',
      `Unknown event type(s): ${unknown.join(', ')}. Known: ${EVENT_TYPES.join(', ')}, or *.`,
      'events',
    );
  }
  return events.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(events)];
}

export class WebhookEndpoints {
  constructor(private readonly deps: { store: Store; secrets: Secrets; now?: () => Date }) {}

  async create(
    environment: Environment,
    input: CreateEndpointInput,
  ): Promise<EndpointView & { secret: string }> {
    const url = await checkEndpointUrl(input.url, environment);
    const events = checkEvents(input.events);
    const existing = await this.deps.store.listWebhookEndpoints(environment);
    if (existing.length >= MAX_ENDPOINTS_PER_ENVIRONMENT) {
      throw new ApiError(
        409,
        'conflict_error',
        'too_many_endpoints',
        `At most ${MAX_ENDPOINTS_PER_ENVIRONMENT} webhook endpoints per environment; remove one first.`,
      );
    }
    const secret = newToken(SECRET_PREFIX);
    const row: WebhookEndpointRow = {
      id: newId('whe_'),
      environment,
      url,
      events: JSON.stringify(events),
      description: input.description ?? null,
      secret_enc: this.deps.secrets.encrypt(secret),
      created_at: (this.deps.now?.() ?? new Date()).toISOString(),
    };
    await this.deps.store.insertWebhookEndpoint(row);
    return { ...endpointView(row), secret };
  }

  async list(environment?: Environment): Promise<EndpointView[]> {
    return (await this.deps.store.listWebhookEndpoints(environment)).map(endpointView);
  }

  async get(environment: Environment, id: string): Promise<EndpointView> {
    const row = await this.deps.store.getWebhookEndpoint(id, environment);
    if (!row) throw notFound('webhook endpoint', 'id');
    return endpointView(row);
  }

  /** Removes the endpoint; its pending deliveries go with it, and its delivery log too. */
  async remove(environment: Environment | undefined, id: string): Promise<void> {
    const removed = await this.deps.store.transaction((store) =>
      store.deleteWebhookEndpoint(id, environment),
    );
    if (!removed) throw notFound('webhook endpoint', 'id');
  }
}
