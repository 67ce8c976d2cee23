/** Steps of the selfie flow that several specs share. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** Opens the hosted link, agrees and continues to the camera. */
export async function openAndConsent(page: Page, hostedUrl: string): Promise<void> {
  await page.goto(hostedUrl);
  await expect(page.getByRole('heading', { name: 'Verify your identity' })).toBeVisible();
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Continue' }).click();
}
