/** Turns every failure into the typed error body, with the status that matches its type. */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function paramOf(issue: ValidationIssue): string | undefined {
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = issue.params['additionalProperty'] ?? issue.params['missingProperty'];
  if (typeof extra === 'string') return path ? `${path}.${extra}` : extra;
  return path || undefined;
}

function fromValidation(error: FastifyError): ApiError {
  const issue = (error.validation?.[0] ?? { keyword: '', instancePath: '', params: {} }) as ValidationIssue;
  const param = paramOf(issue);
  const where = error.validationContext === 'querystring' ? 'query parameter' : 'field';
  if (issue.keyword === 'additionalProperties') {
    return new ApiError(
      400,
      'invalid_request_error',
      'parameter_unknown',
      `Unknown ${where} "${param}".`,
      param,
    );
  }
  if (issue.keyword === 'required') {
    return new ApiError(
      400,
      'invalid_request_error',
      'parameter_missing',
      `Missing required ${where} "${param}".`,
      param,
    );
  }
  const detail =
    issue.keyword === 'anyOf' || issue.keyword === 'enum'
      ? 'is not one of the allowed values'
      : (issue.message ?? 'is invalid');
  return new ApiError(
    400,
    'invalid_request_error',
    'parameter_invalid',
    param ? `The ${where} "${param}" ${detail}.` : `The request ${detail}.`,
    param,
  );
}

/** Fastify's own errors (body parsing, limits) in the service's terms. */
function fromFastify(error: FastifyError): ApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(
        400,
        'invalid_request_error',
        'invalid_json',
        'The request body is not valid JSON.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'invalid_request_error', 'body_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        'This content type is not accepted here.',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(
        400,
        'invalid_request_error',
        'invalid_content_length',
        'The Content-Length does not match the body.',
      );
  }
  if (error.statusCode === 429) {
    return new ApiError(
      429,
      'rate_limit_error',
      'rate_limited',
      'Too many requests. Slow down and retry later.',
    );
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new ApiError(400, 'invalid_request_error', 'invalid_json', 'The request body is not valid JSON.');
  }
  return undefined;
}

/**
 * Bodies up to this size are read to their end (and dropped) before a 413 is sent. Answering while the
 * client is still writing makes the server close a socket with unread data, which resets the connection:
 * the client then sees a broken pipe instead of the 413, and a widget would retry a network error. Past
 * this size the answer goes at once; whatever the client makes of it, the server reads no more.
 */
const DRAIN_BEFORE_413_BYTES = 64 * 1024 * 1024;

/** Reads what is left of a refused request body, so that the answer reaches the client. */
async function drainRefusedBody(request: FastifyRequest): Promise<void> {
  const raw = request.raw;
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (raw.readableEnded || raw.destroyed || !(declared <= DRAIN_BEFORE_413_BYTES)) return;
  await new Promise<void>((resolve) => {
    raw.once('end', resolve);
    raw.once('close', resolve);
    raw.once('error', () => resolve());
    raw.resume();
  });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainRefusedBody(request);
    const apiError =
      error instanceof ApiError ? error : error.validation ? fromValidation(error) : fromFastify(error);
    if (!apiError) {
      request.log.error({ err: error }, 'unhandled error');
      return reply
        .code(500)
        .send(new ApiError(500, 'api_error', 'internal_error', 'Something went wrong on our side.').toBody());
    }
    if (apiError.headers) void reply.headers(apiError.headers);
    return reply.code(apiError.statusCode).send(apiError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError(
      404,
      'not_found_error',
      'route_not_found',
      `No route ${request.method} ${request.url.split('?')[0]}.`,
    );
    return reply.code(404).send(error.toBody());
  });
}
