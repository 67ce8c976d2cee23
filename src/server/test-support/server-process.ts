/**
 * Runs the real `idv` command in a child process for tests over real HTTP: a server on a free port and
 * a real SQLite file in a temporary data directory, which survives kill and restart.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../../..');
const IDV = join(ROOT, 'bin/idv.mjs');
const run = promisify(execFile);

export interface ServerProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Ends the process with `signal` (SIGKILL for a crash) and waits for it to go. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A new process on the same data directory. */
  restart(): Promise<ServerProcess>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'idv-test-'));
}

export async function startServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const env = { ...process.env, IDV_LOG_LEVEL: 'warn', ...options.env };
  const child = spawn(process.execPath, [IDV, 'serve', '--port', '0', '--data', dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const self: ServerProcess = {
    url,
    dataDir,
    child,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((done) => child.once('exit', done));
      child.kill(signal);
      await gone;
    },
    restart: () => startServer({ ...options, dataDir }),
  };
  return self;
}

export async function createKey(
  dataDir: string,
  options: { env?: 'sandbox' | 'live'; scopes?: string[]; origins?: string[] } = {},
): Promise<string> {
  const args = [
    IDV,
    'keys',
    'create',
    '--data',
    dataDir,
    '--env',
    options.env ?? 'sandbox',
    '--scopes',
    (options.scopes ?? ['sessions:read', 'sessions:write', 'sessions:decide']).join(','),
  ];
  for (const origin of options.origins ?? []) args.push('--redirect-origin', origin);
  const { stdout } = await run(process.execPath, args, { env: process.env });
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1]!;
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
