/**
 * Typed API errors. Every failure leaves the service as `{error: {type, code, message, param}}` with a
 * status that matches its type, so integrators can branch on `type` and `code` without parsing prose.
 */

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'api_error';

export interface ErrorBody {
  error: { type: ErrorType; code: string; message: string; param?: string };
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { type: this.type, code: this.code, message: this.message };
    if (this.param !== undefined) error.param = this.param;
    return { error };
  }
}

export const badRequest = (code: string, message: string, param?: string) =>
  new ApiError(400, 'invalid_request_error', code, message, param);

export const unprocessable = (code: string, message: string, param?: string) =>
  new ApiError(422, 'invalid_request_error', code, message, param);

export const unauthenticated = (code: string, message: string) =>
  new ApiError(401, 'authentication_error', code, message);

export const forbidden = (code: string, message: string, param?: string) =>
  new ApiError(403, 'permission_error', code, message, param);

export const notFound = (what: string, param?: string) =>
  new ApiError(404, 'not_found_error', 'resource_missing', `No such ${what}.`, param);

export const conflict = (code: string, message: string) => new ApiError(409, 'conflict_error', code, message);
