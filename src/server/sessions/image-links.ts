/**
 * Access to stored images: short-lived HMAC-signed URLs (5 minutes) that work without an API key, so an
 * integrator can hand one to a reviewer's browser, and direct streaming to a key with `sessions:read`.
 */
import type { FastifyReply } from 'fastify';
import type { ApiKey } from '../auth/api-keys.js';
import type { BlobStore } from '../blobs.js';
import { ApiError, notFound } from '../errors.js';
import type { Secrets } from '../secrets.js';
import type { ImageRow, Store } from '../store/store.js';
import type { SessionService } from './service.js';

export const SIGNED_URL_LIFETIME_SECONDS = 5 * 60;

export class ImageLinks {
  constructor(
    private readonly deps: {
      store: Store;
      blobs: BlobStore;
      secrets: Secrets;
      sessions: SessionService;
      publicUrl: () => string;
    },
  ) {}

  /** An image of one of the key's sessions that still has its file (404 otherwise, also across environments). */
  async storedImage(key: ApiKey, sessionId: string, imageId: string): Promise<ImageRow> {
    await this.deps.sessions.load(key, sessionId);
    const image = await this.deps.store.getImage(sessionId, imageId);
    if (!image?.blob_key) throw notFound('image', 'imageId');
    return image;
  }

  sign(imageId: string, now = Date.now()): { imageId: string; url: string; expiresAt: string } {
    const expires = Math.floor(now / 1000) + SIGNED_URL_LIFETIME_SECONDS;
    const signature = this.deps.secrets.sign(`image:${imageId}:${expires}`);
    return {
      imageId,
      url: `${this.deps.publicUrl()}/v1/signed-images/${imageId}?expires=${expires}&signature=${signature}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  async verified(imageId: string, expires: number, signature: string, now = Date.now()): Promise<ImageRow> {
    if (!this.deps.secrets.verify(`image:${imageId}:${expires}`, signature)) {
      throw new ApiError(403, 'permission_error', 'signature_invalid', 'The image link is not valid.');
    }
    if (expires * 1000 < now) {
      throw new ApiError(
        403,
        'permission_error',
        'signature_expired',
        'The image link has expired; ask for a new one.',
      );
    }
    const image = await this.deps.store.getImageById(imageId);
    if (!image?.blob_key) throw notFound('image', 'imageId');
    return image;
  }

  async sendContent(reply: FastifyReply, image: ImageRow): Promise<Buffer> {
    const bytes = await this.deps.blobs.get(image.blob_key as string);
    void reply
      .type(image.content_type)
      .header('Cache-Control', 'private, no-store')
      .header('Content-Disposition', `inline; filename="${image.id}.jpg"`);
    return bytes;
  }
}
