/**
 * `npm run bench -- [NAME…]`: runs the named benchmarks (all when none is named), writes each one's
 * results to bench/results/NAME.json and prints a summary. Timings belong here, never in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  server: async () => (await import('./server.js')).runServerBench,
  mrz: async () => (await import('./mrz.js')).runMrzBench,
  document: async () => (await import('./document.js')).runDocumentBench,
  vision: async () => (await import('./vision.js')).runVisionBench,
  hosted: async () => (await import('./hosted.js')).runHostedBench,
};

const RESULTS = resolve(import.meta.dirname, 'results');

async function main(names: string[]): Promise<void> {
  const chosen = names.length > 0 ? names : Object.keys(BENCHES);
  for (const name of chosen) {
    const load = BENCHES[name];
    if (!load) throw new Error(`unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    console.log(`bench ${name}: running`);
    const results = {
      bench: name,
      at: new Date().toISOString(),
      machine: machine(),
      ...(await (
        await load()
      )()),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(resolve(RESULTS, `${name}.json`), JSON.stringify(results, null, 2) + '\n');
    console.log(JSON.stringify(results, null, 2));
  }
}

function machine() {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency,
  };
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
