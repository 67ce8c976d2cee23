/** Screenshots of every screen, per viewport, for people to look at (e2e/.artifacts/screens). */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCREENS_DIR = resolve(import.meta.dirname, '../.artifacts/screens');

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

export type ViewportName = keyof typeof VIEWPORTS;

export function viewportNameOf(page: Page): string {
  const size = page.viewportSize();
  return size ? `${size.width}x${size.height}` : 'default';
}

export async function saveScreen(page: Page, name: string): Promise<void> {
  const dir = join(SCREENS_DIR, viewportNameOf(page));
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/** Saves the screen and checks it with axe (WCAG 2.1 A/AA): no violations allowed. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await saveScreen(page, name);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    `accessibility of ${name}`,
  ).toEqual([]);
}

/** Saves (and checks) the current screen at both viewports, for screens that hold still. */
export async function checkScreenAtBothSizes(page: Page, name: string): Promise<void> {
  for (const viewport of Object.values(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await checkScreen(page, name);
  }
}
