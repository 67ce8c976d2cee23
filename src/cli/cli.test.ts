/** The `idv` command as a person runs it: usage errors, key creation output, the demo's printed link. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const IDV = resolve(import.meta.dirname, '../../bin/idv.mjs');
const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'idv-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('prints the new key as the last line and refuses bad options with exit code 2', async () => {
  const data = tempDir();
  const { stdout } = await run(process.execPath, [
    IDV,
    'keys',
    'create',
    '--data',
    data,
    '--env',
    'live',
    '--scopes',
    'sessions:read',
    '--redirect-origin',
    'https://shop.example.com',
  ]);
  expect(stdout.trim().split('\n').at(-1)).toMatch(/^svk_live_[A-Za-z0-9_-]{43}$/);

  for (const args of [
    ['keys', 'create', '--data', data, '--env', 'staging'],
    ['keys', 'create', '--data', data, '--scopes', 'sessions:everything'],
    ['keys', 'create', '--data', data, '--env', 'live', '--redirect-origin', 'http://shop.example.com'],
    ['serve', '--port', 'eighty'],
    ['frobnicate'],
  ]) {
    const failure = await run(process.execPath, [IDV, ...args]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure, args.join(' ')).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/idv: |usage/);
  }
}, 90_000); // six process starts: each takes 3–5 s on the shared 2-core machine

it('demo serves, prints a working hosted link with its QR code, and reuses its session on the next start', async () => {
  const data = tempDir();
  const port = String(20000 + (process.pid % 20000));
  const links: string[] = [];
  for (let round = 0; round < 2; round++) {
    const child = spawn(process.execPath, [IDV, 'demo', '--port', port, '--data', data]);
    let output = '';
    const link = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^(http:\/\/127\.0\.0\.1:\d+\/s\/ses_\S+\?t=idvc_\S+)$/m.exec(output);
        if (match?.[1]) done(match[1]);
      });
      child.once('exit', (code) => fail(new Error(`demo exited ${code}: ${output}`)));
    });
    expect(output).toContain('▄'); // the terminal QR code
    const url = new URL(link);
    const exchange = await fetch(`${url.origin}/v1/client/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientToken: url.searchParams.get('t') }),
    });
    expect(exchange.status).toBe(200);
    links.push(url.pathname);
    const gone = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await gone;
  }
  expect(links[1]).toBe(links[0]); // same demo session, fresh token
});

it('demo integrator site: the button creates a session and sends the person to it; the callback shows the outcome', async () => {
  const data = tempDir();
  const port = String(20000 + ((process.pid + 7) % 20000));
  const child = spawn(process.execPath, [IDV, 'demo', '--port', port, '--data', data]);
  try {
    const base = await new Promise<string>((done, fail) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^demo integrator site .*: (http:\/\/\S+)\/demo$/m.exec(output);
        if (match?.[1]) done(match[1]);
      });
      child.once('exit', (code) => fail(new Error(`demo exited ${code}: ${output}`)));
    });
    const home = await fetch(`${base}/demo`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await home.text()).toContain('action="/demo/start"');

    const start = await fetch(`${base}/demo/start`, { method: 'POST', redirect: 'manual' });
    expect(start.status).toBe(303);
    const hosted = new URL(start.headers.get('location') ?? '');
    expect(hosted.pathname).toMatch(/^\/s\/ses_/);
    expect(hosted.searchParams.get('t')).toMatch(/^idvc_/);

    const sessionId = hosted.pathname.split('/')[2]!;
    const callback = await fetch(`${base}/demo/callback?session_id=${sessionId}&state=demo-abc`);
    const html = await callback.text();
    expect(html).toContain(`<dd data-field="session_id">${sessionId}</dd>`);
    expect(html).toContain('<dd data-field="state">demo-abc</dd>');
    expect(html).toContain('<dd data-field="status">pending</dd>');
    expect((await fetch(`${base}/demo/callback?session_id=<script>`)).status).toBe(400);
  } finally {
    const gone = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await gone;
  }
});
