/** `idv keys create`: a new API key, printed once as the last line (only its hash is stored). */
import { resolve } from 'node:path';
import { openStore } from '../server/app.js';
import { createApiKey } from '../server/auth/api-keys.js';
import type { Environment } from '../server/store/schema.js';
import { parse, UsageError } from './args.js';

export const KEYS_USAGE =
  'idv keys create --data DIR --env sandbox|live --scopes sessions:read,sessions:write[,sessions:decide][,webhooks:manage] [--redirect-origin ORIGIN]…';

export async function keys(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'create') throw new UsageError(`usage: ${KEYS_USAGE}`);
  const { values } = parse(rest, {
    data: { type: 'string' },
    env: { type: 'string', default: 'sandbox' },
    scopes: { type: 'string', default: 'sessions:read,sessions:write' },
    'redirect-origin': { type: 'string', multiple: true, default: [] },
  });
  if (values.env !== 'sandbox' && values.env !== 'live')
    throw new UsageError('--env must be sandbox or live');
  const store = openStore(resolve(values.data ?? process.env['IDV_DATA_DIR'] ?? '.data/default'));
  try {
    await store.migrate();
    const { secret, key } = await createApiKey(store, {
      environment: values.env as Environment,
      scopes: values.scopes
        .split(',')
        .map((scope) => scope.trim())
        .filter(Boolean),
      redirectOrigins: values['redirect-origin'],
    });
    console.log(`created ${key.environment} key ${key.id} with scopes ${key.scopes.join(', ')}`);
    if (key.redirectOrigins.length > 0) console.log(`redirect origins: ${key.redirectOrigins.join(', ')}`);
    console.log('store it now: it is shown only once');
    console.log(secret);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  } finally {
    await store.close();
  }
}
