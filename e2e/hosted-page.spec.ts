/** The hosted page as a person opens it from a link: token handling, policies, and clear messages. */
import { expect, test } from './support/service.js';
import { watchPage } from './support/page-watch.js';

test('opens from the hosted link, removes the token from the address bar, and stays on its origin', async ({
  page,
  service,
}) => {
  const session = await service.createSession({ flow: 'liveness' });
  const watch = await watchPage(page, service.server.url);
  const response = await page.goto(session.hostedUrl);
  expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
  expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
  expect(response?.headers()['referrer-policy']).toBe('no-referrer');

  await expect(page.locator('#app')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByRole('heading', { name: 'Verify your identity' })).toBeVisible();
  expect(page.url()).toBe(`${service.server.url}/s/${session.sessionId}`);
  expect(watch.foreignRequests).toEqual([]);
  expect(watch.cspViolations).toEqual([]);
});

test('says plainly when the link was already used', async ({ page, service }) => {
  const session = await service.createSession({ flow: 'liveness' });
  await page.goto(session.hostedUrl);
  await expect(page.locator('#app')).toHaveAttribute('data-state', 'ready');
  await page.goto(session.hostedUrl);
  await expect(page.locator('#app')).toHaveAttribute('data-state', 'error');
  await expect(page.getByText('This link has already been used.')).toBeVisible();
});
