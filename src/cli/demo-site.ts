/**
 * The demo integrator site `idv demo` serves beside the API, built the way an integrator would: a page
 * with a button whose server-side route creates a session with the API key and sends the person to the
 * hosted page, and a callback page showing what came back (`session_id`, `state`) with the session's
 * status, decision and report, read with the key. Plain HTML, no script, under its own strict policy.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface DemoSiteOptions {
  /** The demo's sandbox API key (known once the store is open). */
  apiKey: () => string;
  /** Where the service is reachable (the callback lives on the same origin). */
  baseUrl: () => string;
}

const POLICY =
  "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLES = `body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#16181d;line-height:1.5}
button{font:inherit;font-weight:600;min-height:48px;padding:0 1.5rem;border:0;border-radius:12px;background:#1f4fd8;color:#fff;cursor:pointer}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-all}
pre{background:#f3f5f9;padding:1rem;border-radius:12px;overflow:auto;font-size:.85rem}.muted{color:#525866}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(reply: FastifyReply, title: string, body: string): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', POLICY)
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/demo/style.css"></head><body>${body}</body></html>`,
    );
}

export function demoSite(options: DemoSiteOptions) {
  return async function register(app: FastifyInstance): Promise<void> {
    const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const response = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${options.apiKey()}` },
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };

    app.get('/demo/style.css', async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('Cache-Control', 'no-cache').send(STYLES),
    );

    app.get('/demo', async (_request, reply) =>
      page(
        reply,
        'Demo shop: verify your identity',
        `<h1>Demo shop</h1><p>Before your account opens we need to check it is really you.</p>
<form method="post" action="/demo/start"><button type="submit">Verify my identity</button></form>
<p class="muted">This page plays the integrator: its server creates a session with a sandbox API key and sends you to the hosted page.</p>`,
      ),
    );

    app.post('/demo/start', async (_request, reply) => {
      const { status, body } = await call('POST', '/v1/sessions', {
        flow: 'liveness',
        redirectUrl: `${options.baseUrl()}/demo/callback`,
        state: `demo-${randomBytes(6).toString('hex')}`,
        forceCreation: true,
      });
      if (status !== 201 || typeof body['hostedUrl'] !== 'string') {
        return page(
          reply.code(502),
          'Demo shop',
          `<h1>Could not start</h1><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre>`,
        );
      }
      return reply.redirect(body['hostedUrl'], 303);
    });

    app.get<{ Querystring: Record<string, string | undefined> }>('/demo/callback', async (request, reply) => {
      const sessionId = request.query['session_id'] ?? '';
      const state = request.query['state'] ?? '';
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(sessionId)) {
        return page(
          reply.code(400),
          'Demo shop',
          '<h1>No session</h1><p>The callback came without a valid session_id.</p>',
        );
      }
      const session = await call('GET', `/v1/sessions/${sessionId}`);
      const report = await call('GET', `/v1/sessions/${sessionId}/report`);
      const field = (name: string) => escapeHtml(String(session.body[name] ?? '—'));
      return page(
        reply,
        'Demo shop: verification finished',
        `<h1>Welcome back</h1><p>The hosted page sent you here with:</p>
<dl><dt>session_id</dt><dd data-field="session_id">${escapeHtml(sessionId)}</dd><dt>state</dt><dd data-field="state">${escapeHtml(state)}</dd>
<dt>status</dt><dd data-field="status">${field('status')}</dd><dt>decision</dt><dd data-field="decision">${field('decision')}</dd></dl>
<h2>Report</h2><pre>${escapeHtml(JSON.stringify(report.body, null, 2))}</pre>
<form method="get" action="/demo"><button type="submit">Start again</button></form>`,
      );
    });
  };
}
