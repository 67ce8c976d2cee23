/** Records what a page does that the product promises it never does: third-party requests and CSP violations. */
import type { Page } from '@playwright/test';

export interface PageWatch {
  foreignRequests: string[];
  cspViolations: string[];
}

export async function watchPage(page: Page, origin: string): Promise<PageWatch> {
  const watch: PageWatch = { foreignRequests: [], cspViolations: [] };
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))
      watch.foreignRequests.push(url);
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) watch.cspViolations.push(message.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => watch.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      );
    });
  });
  return watch;
}
