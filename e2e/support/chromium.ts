import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Finds the Chromium the browser tests drive: `CHROMIUM_PATH`, then Debian's `/usr/bin/chromium`,
 * then a browser Playwright downloaded itself. Never returns nothing: a missing browser must fail the
 * run loudly rather than let browser tests skip.
 */
export function findChromium(): string {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', safePlaywrightPath()];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    "No Chromium found for the browser tests. Install Debian's package (`apt-get install -y chromium`), " +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  );
}

function safePlaywrightPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** Flags that keep headless Chromium quiet on a machine with no outside network. */
export const QUIET_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Flags that give the page a fake camera playing `videoFile` (y4m or mjpeg) with permission granted. */
export function fakeCameraArgs(videoFile: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${videoFile}`,
  ];
}

/** Launch options for a spec whose browser has a fake camera playing `videoFile`. */
export function cameraLaunchOptions(videoFile: string): { executablePath: string; args: string[] } {
  return { executablePath: findChromium(), args: [...QUIET_CHROMIUM_ARGS, ...fakeCameraArgs(videoFile)] };
}
