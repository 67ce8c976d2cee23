import { describe, expect, it } from 'vitest';
import { ClientApiError, type IntakeResult } from './client.js';
import { backoffDelay, uploadImage, type TransportResponse, type UploadRequest } from './upload.js';

const accepted: IntakeResult = {
  imageId: 'img_1',
  kind: 'selfie',
  accepted: true,
  feedback: [],
  missingImages: [],
  complete: true,
};

const request: UploadRequest = {
  url: 'http://service/v1/client/images?kind=selfie',
  uploadToken: 'idvu_x',
  body: new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' }),
  idempotencyKey: 'capture-1',
};

/** A transport answering from a script and recording what it was asked. */
function scripted(answers: TransportResponse[]) {
  const seen: UploadRequest[] = [];
  const transport = (req: UploadRequest): Promise<TransportResponse> => {
    seen.push(req);
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return Promise.resolve(answer);
  };
  return { transport, seen };
}

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

describe('uploadImage', () => {
  it('retries network failures and 5xx with back-off, resending the same idempotency key', async () => {
    const { transport, seen } = scripted([
      { status: 0, body: null },
      { status: 503, body: { error: { code: 'unavailable', message: 'busy' } } },
      { status: 201, body: accepted },
    ]);
    const waits: number[] = [];
    const retries: number[] = [];
    const result = await uploadImage(request, {
      transport,
      policy,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
      onRetry: (attempt) => retries.push(attempt),
      random: () => 1,
    });
    expect(result).toEqual(accepted);
    expect(seen.map((r) => r.idempotencyKey)).toEqual(['capture-1', 'capture-1', 'capture-1']);
    expect(retries).toEqual([2, 3]);
    expect(waits).toEqual([100, 200]);
  });

  it('waits at least as long as Retry-After says on 429', async () => {
    const { transport } = scripted([
      { status: 429, body: null, retryAfter: 3 },
      { status: 200, body: accepted },
    ]);
    const waits: number[] = [];
    await uploadImage(request, { transport, policy, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    expect(waits).toEqual([3000]);
  });

  it('does not retry a refusal and reports its code', async () => {
    const { transport, seen } = scripted([
      { status: 409, body: { error: { code: 'images_complete', message: 'done' } } },
    ]);
    const error = await uploadImage(request, { transport, policy, sleep: () => Promise.resolve() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ClientApiError);
    expect((error as ClientApiError).code).toBe('images_complete');
    expect(seen).toHaveLength(1);
  });

  it('gives up after the last attempt with a network error', async () => {
    const { transport, seen } = scripted(Array.from({ length: 4 }, () => ({ status: 0, body: null })));
    const error = await uploadImage(request, { transport, policy, sleep: () => Promise.resolve() }).catch(
      (e: unknown) => e,
    );
    expect((error as ClientApiError).code).toBe('network_error');
    expect(seen).toHaveLength(policy.attempts);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the ceiling, capped', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
  });
});
