/**
 * Fastify's validator coerces types (so that query strings, which are all text, can be numbers); in a
 * JSON body that would quietly turn `"firstName": 42` into "42" or `true` into "true". This check runs
 * before validation on the body as sent: a value of the wrong JSON type is refused there with the same
 * error the validator gives for types it cannot coerce. Everything else (unknown and missing fields,
 * formats, ranges) is left to the validator and its messages. A compiled check costs under a microsecond.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { ApiError, badRequest } from '../errors.js';

export function strictTypes(schema: TSchema): (body: unknown) => void {
  const check = Compile(schema);
  return (body) => {
    if (check.Check(body)) return;
    const issue = check.Errors(body).find((error) => error.keyword === 'type');
    if (!issue) return;
    const param = issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
    throw badRequest(
      'parameter_invalid',
      param ? `The field "${param}" ${issue.message}.` : `The request body ${issue.message}.`,
      param,
    );
  };
}

/**
 * For bodies validated here rather than by the route (a route that takes JSON or raw bytes): the first
 * problem, as the same typed error the route validator gives (parameter_unknown, parameter_missing,
 * parameter_invalid, with the dotted path as `param`).
 */
export function validateBody<T>(schema: TSchema, label = 'field'): (body: unknown) => T {
  const check = Compile(schema);
  return (body) => {
    if (check.Check(body)) return body as T;
    const issues = check.Errors(body);
    const issue = issues.find((error) => error.keyword !== 'boolean') ?? issues[0];
    const path = (issue?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const join = (name: unknown) => (path ? `${path}.${String(name)}` : String(name));
    const params = (issue?.params ?? {}) as Record<string, unknown[] | undefined>;
    if (issue?.keyword === 'additionalProperties') {
      const param = join(params['additionalProperties']?.[0]);
      return fail(
        new ApiError(
          400,
          'invalid_request_error',
          'parameter_unknown',
          `Unknown ${label} "${param}".`,
          param,
        ),
      );
    }
    if (issue?.keyword === 'required') {
      const param = join(params['requiredProperties']?.[0]);
      return fail(
        new ApiError(
          400,
          'invalid_request_error',
          'parameter_missing',
          `Missing required ${label} "${param}".`,
          param,
        ),
      );
    }
    const detail =
      issue?.keyword === 'enum' ? 'is not one of the allowed values' : (issue?.message ?? 'is invalid');
    return fail(
      badRequest(
        'parameter_invalid',
        path ? `The ${label} "${path}" ${detail}.` : `The body ${detail}.`,
        path || undefined,
      ),
    );
  };
}

function fail(error: ApiError): never {
  throw error;
}
