/** The `idv` command: serve, keys, webhooks, demo, inspect. */
import { demo, DEMO_USAGE } from './demo.js';
import { inspect, INSPECT_USAGE } from './inspect.js';
import { keys, KEYS_USAGE } from './keys.js';
import { serve, SERVE_USAGE } from './serve.js';
import { UsageError } from './args.js';
import { webhooks, WEBHOOKS_USAGE } from './webhooks.js';

const USAGE = `usage:
  ${SERVE_USAGE}
  ${KEYS_USAGE}
  ${WEBHOOKS_USAGE}
  ${DEMO_USAGE}
  ${INSPECT_USAGE}`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  serve,
  keys,
  webhooks,
  demo,
  inspect,
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(
      name && name !== 'help' && name !== '--help' ? `unknown command "${name}"\n${USAGE}` : USAGE,
    );
    process.exitCode = name === 'help' || name === '--help' ? 0 : 2;
    return;
  }
  await command(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`idv: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
