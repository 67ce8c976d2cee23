/**
 * Hosted page bootstrap for `/s/{sessionId}?t={clientToken}`. The token is read once and removed from
 * the address bar (and so from history, screenshots and shared links) before anything else happens.
 */
import { ClientApiError, exchangeClientToken } from '../core/session/client.js';

function takeTokenFromUrl(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('t');
  if (token !== null) {
    url.searchParams.delete('t');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return token;
}

const MESSAGES: Record<string, string> = {
  client_token_used: 'This link has already been used. Ask for a new verification link.',
  client_token_expired: 'This link has expired. Ask for a new verification link.',
  client_token_invalid: 'This link is not valid. Check that you opened the whole link.',
  session_not_active: 'This verification is no longer open.',
  images_complete: 'This verification is already complete.',
  network_error: 'We could not reach the verification service. Check your connection and reload.',
};

function show(app: HTMLElement, title: string, text: string, state: string): void {
  app.dataset['state'] = state;
  const heading = document.createElement('h1');
  heading.textContent = title;
  const paragraph = document.createElement('p');
  paragraph.textContent = text;
  app.replaceChildren(heading, paragraph);
}

async function start(): Promise<void> {
  const app = document.getElementById('app');
  if (!app) return;
  const token = takeTokenFromUrl();
  if (!token) {
    show(app, 'Link incomplete', MESSAGES['client_token_invalid']!, 'error');
    return;
  }
  try {
    const exchange = await exchangeClientToken(window.location.origin, token);
    // Capture screens arrive with the selfie-flow work; until then the page says what it would ask for.
    show(
      app,
      'Verify your identity',
      `This verification needs: ${exchange.requirements.missingImages.join(', ') || 'nothing more'}.`,
      'ready',
    );
  } catch (error) {
    const code = error instanceof ClientApiError ? error.code : 'network_error';
    show(
      app,
      'We cannot continue',
      MESSAGES[code] ?? 'Something went wrong. Please try again later.',
      'error',
    );
  }
}

void start();
