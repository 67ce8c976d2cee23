/**
 * Hosted page bootstrap for `/s/{sessionId}?t={clientToken}`. The token is read once and removed from
 * the address bar (and so from history, screenshots and shared links) before anything else happens,
 * then handed to `<idv-verify>` as a property, never as an attribute.
 */
import '../elements/idv-verify/idv-verify.js';

function takeTokenFromUrl(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('t');
  if (token !== null) {
    url.searchParams.delete('t');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return token;
}

function sessionIdFromPath(): string {
  const match = /^\/s\/([^/]+)/.exec(window.location.pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : '';
}

function start(): void {
  const app = document.getElementById('app');
  if (!app) return;
  const token = takeTokenFromUrl();
  const verify = document.createElement('idv-verify');
  verify.sessionId = sessionIdFromPath();
  app.replaceChildren(verify);
  // An absent token gives the same plain "link not valid" screen as a wrong one.
  verify.clientToken = token ?? '';
}

start();
