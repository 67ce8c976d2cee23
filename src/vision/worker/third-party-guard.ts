/**
 * tasks-vision 1.1.0 posts usage logs to a Google host every 60 s and when a task closes, with no
 * option to turn that off. The product makes no third-party request, so the worker replaces `fetch`
 * with one that refuses every cross-origin URL before the request is made; the logger sees a failed
 * send and stops its timer. Same-origin fetches (models, wasm) pass through untouched.
 */
export function refuseCrossOriginFetch(scope: {
  fetch: typeof fetch;
  location: { origin: string; href: string };
}): void {
  const originalFetch = scope.fetch.bind(scope);
  const ownOrigin = scope.location.origin;
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), scope.location.href);
    if (url.origin !== ownOrigin) {
      return Promise.reject(
        new TypeError(`cross-origin request refused in the vision worker: ${url.origin}`),
      );
    }
    return originalFetch(input, init);
  };
}
