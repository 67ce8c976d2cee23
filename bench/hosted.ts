/**
 * The hosted selfie flow as a person's browser loads it from the service over loopback, cold cache
 * (a fresh browser profile per run), the consent clicked by automation as soon as it shows:
 * JavaScript loaded before the camera is asked for (brotli; the vision layer loads from then on, in
 * parallel with the camera prompt), bytes for the whole flow (brotli for the
 * hashed assets, as served pre-compressed; API answers as sent), navigation to live preview, and to
 * the first on-device guidance. Targets: ≤ 60 KB before the camera, ≤ 3.3 MB in all, live preview
 * ≤ 1 s, first guidance ≤ 2 s.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Request } from '@playwright/test';
import { DIST_DIR } from '../src/server/routes/hosted.js';
import { createKey, removeDataDir, startServer } from '../src/server/test-support/server-process.js';
import { cameraLaunchOptions } from '../e2e/support/chromium.js';
import { buildVideo, VIDEOS } from '../e2e/support/fake-camera.js';
import { brotliFileBytes, percentiles } from './support.js';

const RUNS = 3;
const CALLBACK = 'http://localhost:4999';

interface Fetched {
  readonly path: string;
  readonly at: number;
  readonly bytes: number;
  readonly javascript: boolean;
}

/**
 * Size on the wire: hashed assets as their brotli files, anything else as its Content-Length.
 * (Asking the browser for body sizes through the protocol stalls the vision worker's fetches.)
 */
function wireBytes(path: string, contentLength: string | undefined): number {
  const file = join(DIST_DIR, path);
  if (path.startsWith('/assets/') && existsSync(file)) return brotliFileBytes(file);
  return Number(contentLength ?? 0) || 0;
}

async function oneRun(serverUrl: string, apiKey: string, video: string) {
  const response = await fetch(`${serverUrl}/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ flow: 'liveness', redirectUrl: `${CALLBACK}/done`, state: 'bench' }),
  });
  const { hostedUrl } = (await response.json()) as { hostedUrl: string };
  const browser = await chromium.launch(cameraLaunchOptions(video));
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.route(`${CALLBACK}/**`, (route) => route.fulfill({ status: 200, body: 'ok' }));
    const start = Date.now();
    // Requests, not responses: a 'response' listener here stalls the vision worker's fetches.
    const requests: { request: Request; at: number }[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).origin === serverUrl) requests.push({ request, at: Date.now() - start });
    });
    await page.goto(hostedUrl);
    await page.getByRole('checkbox').check();
    // The camera is asked for the moment the person continues.
    const cameraRequestedMs = Date.now() - start;
    await page.getByRole('button', { name: 'Continue' }).click();
    // No named functions inside page callbacks: tsx would wrap them in a helper the page lacks.
    await page.waitForFunction(
      () => {
        const capture = document.querySelector('idv-verify')?.shadowRoot?.querySelector('idv-selfie-capture');
        const video = capture?.shadowRoot?.querySelector('video');
        return Boolean(video && video.readyState >= 2 && !video.paused);
      },
      undefined,
      { polling: 'raf' },
    );
    const liveMs = Date.now() - start;
    // The first instruction, or the review if the capture was quicker than this check.
    await page
      .locator('idv-selfie-capture [data-guidance]:not([data-guidance=""])')
      .or(page.getByRole('heading', { name: 'Check your photo' }))
      .first()
      .waitFor({ timeout: 30_000 });
    const guidanceMs = Date.now() - start;
    await page.getByRole('button', { name: 'Use this photo' }).click({ timeout: 30_000 });
    await page.waitForURL(`${CALLBACK}/**`, { timeout: 30_000 });
    const all: Fetched[] = [];
    for (const { request, at } of requests) {
      const path = new URL(request.url()).pathname;
      const response = await request.response().catch(() => null);
      all.push({
        path,
        at,
        bytes: wireBytes(path, response?.headers()['content-length']),
        javascript: path.endsWith('.js'),
      });
    }
    const beforeCamera = all.filter((f) => f.javascript && f.at <= cameraRequestedMs);
    return {
      liveMs,
      guidanceMs,
      jsBeforeCameraBytes: beforeCamera.reduce((sum, f) => sum + f.bytes, 0),
      jsBeforeCamera: beforeCamera.map((f) => f.path),
      totalBytes: all.reduce((sum, f) => sum + f.bytes, 0),
      files: all.length,
    };
  } finally {
    await browser.close();
  }
}

export async function runHostedBench(): Promise<Record<string, unknown>> {
  if (!existsSync(join(DIST_DIR, 'index.html')))
    throw new Error('Build the hosted page first: npm run build');
  const video = await buildVideo(VIDEOS.selfie640);
  const server = await startServer();
  try {
    const apiKey = await createKey(server.dataDir, { origins: [CALLBACK] });
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await oneRun(server.url, apiKey, video));
    const last = runs[runs.length - 1]!;
    return {
      runs: runs.length,
      navigationToLivePreviewMs: percentiles(runs.map((r) => r.liveMs)),
      navigationToFirstGuidanceMs: percentiles(runs.map((r) => r.guidanceMs)),
      jsBeforeCameraBrotliBytes: last.jsBeforeCameraBytes,
      jsBeforeCamera: last.jsBeforeCamera,
      wholeFlowBytes: last.totalBytes,
      wholeFlowFiles: last.files,
      note: 'consent is clicked by automation the moment it shows; a person adds their reading time',
      targets: {
        jsBeforeCameraBrotliBytes: 60_000,
        wholeFlowBytes: 3.3e6,
        navigationToLivePreviewMs: 1000,
        navigationToFirstGuidanceMs: 2000,
      },
    };
  } finally {
    await server.kill();
    removeDataDir(server.dataDir);
  }
}
