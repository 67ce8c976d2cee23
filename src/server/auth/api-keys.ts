/** Integrator API keys: `svk_test_…` for sandbox, `svk_live_…` for live. Only a hash is ever stored. */
import type { Environment } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { hashToken, newId, newToken } from '../secrets.js';
import { isScope, type Scope } from './scopes.js';

export interface ApiKey {
  id: string;
  environment: Environment;
  scopes: Scope[];
  redirectOrigins: string[];
}

const PREFIX: Record<Environment, string> = { sandbox: 'svk_test_', live: 'svk_live_' };

export function environmentOfKey(secret: string): Environment | undefined {
  if (secret.startsWith(PREFIX.sandbox)) return 'sandbox';
  if (secret.startsWith(PREFIX.live)) return 'live';
  return undefined;
}

/**
 * Checks an allowed redirect origin: https, or plain http for localhost in sandbox only (a live
 * callback over plain http would hand the session id and state to anyone on the path).
 */
export function normaliseRedirectOrigin(raw: string, environment: Environment): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${raw}" is not a URL origin (expected e.g. https://app.example.com)`);
  }
  if (url.origin === 'null' || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new Error(`"${raw}" is not a bare origin (scheme, host and port only)`);
  }
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && environment === 'sandbox' && isLocalHost(url.hostname)) return url.origin;
  throw new Error(
    environment === 'sandbox'
      ? `"${raw}": redirect origins must use https (plain http is allowed for localhost only)`
      : `"${raw}": live redirect origins must use https`,
  );
}

export function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

export async function createApiKey(
  store: Store,
  options: { environment: Environment; scopes: string[]; redirectOrigins: string[] },
): Promise<{ secret: string; key: ApiKey }> {
  const unknown = options.scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(', ')}`);
  if (options.scopes.length === 0) throw new Error('at least one scope is required');
  const redirectOrigins = options.redirectOrigins.map((origin) =>
    normaliseRedirectOrigin(origin, options.environment),
  );
  const secret = newToken(PREFIX[options.environment]);
  const key: ApiKey = {
    id: newId('key_'),
    environment: options.environment,
    scopes: [...new Set(options.scopes)] as Scope[],
    redirectOrigins: [...new Set(redirectOrigins)],
  };
  await store.insertApiKey({
    id: key.id,
    environment: key.environment,
    hash: hashToken(secret),
    prefix: secret.slice(0, PREFIX[options.environment].length + 4),
    scopes: JSON.stringify(key.scopes),
    redirect_origins: JSON.stringify(key.redirectOrigins),
    created_at: new Date().toISOString(),
    revoked_at: null,
  });
  return { secret, key };
}

export async function findApiKey(store: Store, secret: string): Promise<ApiKey | undefined> {
  const row = await store.findApiKeyByHash(hashToken(secret));
  if (!row) return undefined;
  return {
    id: row.id,
    environment: row.environment,
    scopes: JSON.parse(row.scopes) as Scope[],
    redirectOrigins: JSON.parse(row.redirect_origins) as string[],
  };
}
