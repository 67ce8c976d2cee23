/** `idv serve`: the session service (and the hosted page) on the embedded default. */
import { resolve } from 'node:path';
import { createService, type Service, type ServiceOptions } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { parse, port } from './args.js';

export const SERVE_USAGE = 'idv serve [--port P] [--data DIR] [--host H] [--public-url URL]';

export async function startServer(
  argv: string[],
  options: ServiceOptions = {},
): Promise<{ service: Service; url: string; dataDir: string }> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    data: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
  });
  const dataDir = resolve(values.data ?? process.env['IDV_DATA_DIR'] ?? '.data/default');
  const base = loadConfig({ dataDir });
  const config = loadConfig({
    dataDir,
    port: port(values.port, base.port),
    host: values.host ?? base.host,
    publicUrl: values['public-url'] ?? base.publicUrl,
  });
  const service = await createService(config, options);
  const url = await service.listen();
  stopOnSignals(service);
  return { service, url, dataDir };
}

function stopOnSignals(service: Service): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function serve(argv: string[]): Promise<void> {
  const { url } = await startServer(argv);
  console.log(`listening on ${url}`);
}
