/** Playwright fixtures for the vision harness: its server, and a page with the harness loaded and watched. */
import { test as base, type Page } from '@playwright/test';
import { startHarnessServer, type HarnessServer } from './harness-server.js';
import { watchPage, type PageWatch } from './page-watch.js';

export interface HarnessPage {
  readonly page: Page;
  readonly watch: PageWatch;
  readonly origin: string;
}

export const test = base.extend<{ harness: HarnessPage }, { harnessServer: HarnessServer }>({
  harnessServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startHarnessServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  harness: async ({ page, harnessServer }, use) => {
    const watch = await watchPage(page, harnessServer.url);
    await page.goto(`${harnessServer.url}/`);
    await page.waitForFunction(() => 'idvHarness' in window);
    await use({ page, watch, origin: harnessServer.url });
  },
});

export { expect } from '@playwright/test';
