/**
 * The hosted capture page (`/s/{sessionId}`) from the Vite build in dist/, and its hashed assets.
 * The page is served under a strict policy: no inline script or style, no eval (only
 * `wasm-unsafe-eval` for the vision runtime), connections to this origin only, and framing only by the
 * integration's own origins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Store } from '../store/store.js';

export const DIST_DIR = resolve(import.meta.dirname, '../../../dist');

/** The Content-Security-Policy of the hosted page; `frameAncestors` are the origins allowed to embed it. */
export function hostedPagePolicy(frameAncestors: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "worker-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`,
  ].join('; ');
}

export function hostedRoutes(deps: { store: Store; distDir?: string }) {
  const distDir = deps.distDir ?? DIST_DIR;
  let page: string | undefined;
  const indexHtml = () => (page ??= readFileSync(join(distDir, 'index.html'), 'utf8'));

  return async function register(app: FastifyInstance): Promise<void> {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const built = existsSync(join(distDir, 'index.html'));
    if (built) {
      // Every file under assets/ carries a content hash in its name: cache it for a year.
      await app.register(fastifyStatic, {
        root: join(distDir, 'assets'),
        prefix: '/assets/',
        immutable: true,
        maxAge: '365d',
        index: false,
      });
    }

    api.get(
      '/s/:sessionId',
      {
        schema: {
          hide: true,
          params: Type.Object({ sessionId: Type.String({ maxLength: 64 }) }),
        },
      },
      async (request, reply) => {
        if (!built) {
          return reply
            .code(503)
            .type('text/plain; charset=utf-8')
            .send('The hosted page is not built. Run `npm run build`, then restart the service.');
        }
        // The session's integration may frame the page; an unknown id still gets the page, which
        // then tells the person plainly that the link is not valid.
        const session = await deps.store.getSessionById(request.params.sessionId);
        const key = session ? await deps.store.findApiKeyById(session.api_key_id) : undefined;
        const origins = key ? (JSON.parse(key.redirect_origins) as string[]) : [];
        return reply
          .type('text/html; charset=utf-8')
          .header('Content-Security-Policy', hostedPagePolicy(origins))
          .header('Referrer-Policy', 'no-referrer')
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cache-Control', 'no-store')
          .header(
            'Permissions-Policy',
            `camera=(self ${origins.map((origin) => `"${origin}"`).join(' ')})`.replace(' )', ')'),
          )
          .send(indexHtml());
      },
    );
  };
}
