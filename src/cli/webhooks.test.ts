/** `idv webhooks add|list|remove` as a person runs it, on a data directory the server also uses. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const IDV = resolve(import.meta.dirname, '../../bin/idv.mjs');
const run = promisify(execFile);
const data = mkdtempSync(join(tmpdir(), 'idv-webhooks-cli-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

const idv = (...args: string[]) => run(process.execPath, [IDV, 'webhooks', ...args, '--data', data]);

it('adds an endpoint printing its secret once, lists it, refuses a live loopback URL, removes it', async () => {
  const added = await idv(
    'add',
    '--env',
    'sandbox',
    '--url',
    'http://localhost:4000/hooks',
    '--events',
    'session.completed,session.failed',
  );
  const lines = added.stdout.trim().split('\n');
  expect(lines.at(-1)).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  const id = /endpoint (whe_\S+)/.exec(added.stdout)?.[1];
  expect(id).toBeDefined();

  const listed = await idv('list');
  expect(listed.stdout).toContain(
    `${id}\tsandbox\thttp://localhost:4000/hooks\tsession.completed,session.failed`,
  );
  expect(listed.stdout).not.toContain('whsec_');

  const refused = await idv('add', '--env', 'live', '--url', 'https://127.0.0.1/hooks').catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(refused).toMatchObject({ code: 2 });
  expect((refused as { stderr: string }).stderr).toMatch(/loopback, link-local or private/);

  await idv('remove', id!);
  expect((await idv('list')).stdout.trim()).toBe('');
}, 90_000);
