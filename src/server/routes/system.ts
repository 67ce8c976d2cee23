/** Health, the OpenAPI document generated from the route schemas, and signed image links. */
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ImageLinks } from '../sessions/image-links.js';

export function systemRoutes(deps: { imageLinks: ImageLinks }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();

    api.get(
      '/healthz',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness probe',
          response: { 200: Type.Object({ ok: Type.Boolean() }) },
        },
      },
      async () => ({ ok: true }),
    );

    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    api.get(
      '/v1/signed-images/:imageId',
      {
        schema: {
          tags: ['sessions'],
          summary: 'Image bytes through a signed link (no API key; valid 5 minutes)',
          params: Type.Object({ imageId: Type.String({ pattern: '^img_[A-Za-z0-9_-]{22}$' }) }),
          querystring: Type.Object({ expires: Type.Integer(), signature: Type.String({ maxLength: 100 }) }),
        },
      },
      async (request, reply) => {
        const image = await deps.imageLinks.verified(
          request.params.imageId,
          request.query.expires,
          request.query.signature,
        );
        return deps.imageLinks.sendContent(reply, image);
      },
    );
  };
}
