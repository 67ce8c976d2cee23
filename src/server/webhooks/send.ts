/**
 * One delivery attempt over HTTP: a POST with a time limit for the whole exchange, no redirect followed
 * (a 3xx counts as a failure), and at most a few KiB of the answer read before the connection is dropped.
 * In live mode the target's addresses are checked (see guard.ts) on the socket's own lookup.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Environment } from '../store/schema.js';
import { ForbiddenTargetError, guardedLookup, hostOf, isForbiddenAddress } from './guard.js';

/** The most of a response body that is read; the rest is never downloaded. */
export const MAX_RESPONSE_BYTES = 16 * 1024;

export interface SendRequest {
  url: string;
  environment: Environment;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export type SendResult =
  | { outcome: 'succeeded' | 'failed'; statusCode: number; latencyMs: number; error: string | null }
  | { outcome: 'failed' | 'refused'; statusCode: null; latencyMs: number; error: string };

export interface Sender {
  send(request: SendRequest): Promise<SendResult>;
  close(): void;
}

/** Keep-alive agents, one set per environment so a sandbox connection is never reused for live. */
export function createSender(maxSockets: number): Sender {
  const agents = {
    sandbox: {
      http: new http.Agent({ keepAlive: true, maxSockets }),
      https: new https.Agent({ keepAlive: true, maxSockets }),
    },
    live: {
      http: new http.Agent({ keepAlive: true, maxSockets, lookup: guardedLookup }),
      https: new https.Agent({ keepAlive: true, maxSockets, lookup: guardedLookup }),
    },
  };
  return {
    send: (request) => send(request, agents[request.environment]),
    close() {
      for (const set of Object.values(agents)) {
        set.http.destroy();
        set.https.destroy();
      }
    },
  };
}

function send(request: SendRequest, agents: { http: http.Agent; https: https.Agent }): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(request.url);
  const host = hostOf(url);
  if (request.environment === 'live' && isIP(host) && isForbiddenAddress(host)) {
    const error = new ForbiddenTargetError(host);
    return Promise.resolve({ outcome: 'refused', statusCode: null, latencyMs: 0, error: error.message });
  }
  const secure = url.protocol === 'https:';
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const body = Buffer.from(request.body);
    const outgoing = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...request.headers, 'content-length': String(body.length) },
        ...(request.environment === 'live' ? { lookup: guardedLookup } : {}),
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // Receivers should answer quickly with little: a large answer is cut off, not downloaded.
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => {
          const ok = statusCode >= 200 && statusCode < 300;
          const error = ok
            ? null
            : statusCode >= 300 && statusCode < 400
              ? `redirect ${statusCode} not followed`
              : `HTTP ${statusCode}`;
          finish({ outcome: ok ? 'succeeded' : 'failed', statusCode, latencyMs: elapsed(), error });
        };
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`timed out after ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    outgoing.on('error', (error: Error) => {
      const refused = error instanceof ForbiddenTargetError;
      finish({
        outcome: refused ? 'refused' : 'failed',
        statusCode: null,
        latencyMs: elapsed(),
        error: error.message,
      });
    });
    outgoing.end(body);
  });
}
