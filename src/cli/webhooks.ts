/**
 * `idv webhooks add|list|remove`: webhook endpoints managed on the data directory directly (like `keys
 * create`, it works while the server runs). `add` prints the signing secret once, as its last line.
 */
import { resolve } from 'node:path';
import { openStore } from '../server/app.js';
import { ApiError } from '../server/errors.js';
import { loadAppKey, Secrets } from '../server/secrets.js';
import type { Environment } from '../server/store/schema.js';
import { WebhookEndpoints } from '../server/webhooks/endpoints.js';
import { parse, UsageError } from './args.js';

export const WEBHOOKS_USAGE = `idv webhooks add --data DIR --env sandbox|live --url URL [--events session.completed,…] [--description TEXT]
  idv webhooks list --data DIR [--env sandbox|live]
  idv webhooks remove --data DIR ENDPOINT_ID`;

function environmentOf(value: string | undefined): Environment | undefined {
  if (value === undefined) return undefined;
  if (value !== 'sandbox' && value !== 'live') throw new UsageError('--env must be sandbox or live');
  return value;
}

export async function webhooks(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'add' && action !== 'list' && action !== 'remove') {
    throw new UsageError(`usage: ${WEBHOOKS_USAGE}`);
  }
  const { values, positionals } = parse(rest, {
    data: { type: 'string' },
    env: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'string' },
    description: { type: 'string' },
  });
  const dataDir = resolve(values.data ?? process.env['IDV_DATA_DIR'] ?? '.data/default');
  const environment = environmentOf(values.env);
  const store = openStore(dataDir);
  try {
    await store.migrate();
    const endpoints = new WebhookEndpoints({ store, secrets: new Secrets(loadAppKey(dataDir)) });
    if (action === 'add') {
      if (!values.url) throw new UsageError(`--url is required\nusage: ${WEBHOOKS_USAGE}`);
      const created = await endpoints.create(environment ?? 'sandbox', {
        url: values.url,
        ...(values.events ? { events: values.events.split(',').map((type) => type.trim()) } : {}),
        ...(values.description ? { description: values.description } : {}),
      });
      console.log(`created ${created.environment} webhook endpoint ${created.id} → ${created.url}`);
      console.log(`events: ${created.events.join(', ')}`);
      console.log('signing secret (shown only once):');
      console.log(created.secret);
    } else if (action === 'list') {
      for (const endpoint of await endpoints.list(environment)) {
        console.log(
          [
            endpoint.id,
            endpoint.environment,
            endpoint.url,
            endpoint.events.join(','),
            endpoint.createdAt,
          ].join('\t'),
        );
      }
    } else {
      const id = positionals[0];
      if (!id) throw new UsageError(`name the endpoint to remove\nusage: ${WEBHOOKS_USAGE}`);
      await endpoints.remove(environment, id);
      console.log(`removed webhook endpoint ${id}`);
    }
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}
