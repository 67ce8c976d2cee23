import { defineConfig } from '@playwright/test';
import { findChromium, QUIET_CHROMIUM_ARGS } from './e2e/support/chromium.js';

// The machine has two cores: one worker keeps the server, the browser and the test runner from starving each other.
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/support/global-setup.ts',
  outputDir: 'test-results',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: { executablePath: findChromium(), args: QUIET_CHROMIUM_ARGS },
  },
});
