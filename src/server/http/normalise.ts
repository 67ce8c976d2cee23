/**
 * Request-body normalisation, run before schema validation: unwraps a JSON:API envelope
 * (`{data: {attributes: {...}}}`), accepts camelCase, snake_case and kebab-case keys (any letter case),
 * and maps common alternative names to one field. Opaque fields (`metadata`) keep their keys as sent.
 */
import { badRequest } from '../errors.js';

export interface NormaliseOptions {
  /** Canonical field names, camelCase. */
  fields: readonly string[];
  /** Alternative name → canonical name (both camelCase). */
  aliases?: Readonly<Record<string, string>>;
  /** Canonical fields whose nested objects are normalised too (with their own field lists). */
  nested?: Readonly<Record<string, NormaliseOptions>>;
}

const squash = (key: string) => key.replace(/[-_\s]/g, '').toLowerCase();

function camelCase(key: string): string {
  return key
    .replace(/[-_]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
    .replace(/^[A-Z]/, (c) => c.toLowerCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function unwrapEnvelope(body: unknown): unknown {
  if (isPlainObject(body) && isPlainObject(body['data']) && isPlainObject(body['data']['attributes'])) {
    return body['data']['attributes'];
  }
  return body;
}

export function normaliseKeys(body: unknown, options: NormaliseOptions, path = ''): unknown {
  if (!isPlainObject(body)) return body;
  const lookup = new Map<string, string>();
  for (const field of options.fields) lookup.set(squash(field), field);
  for (const [alias, field] of Object.entries(options.aliases ?? {})) lookup.set(squash(alias), field);

  const out: Record<string, unknown> = {};
  const sourceOf: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    // Unknown keys keep a camelCase form so validation can name them.
    const field = lookup.get(squash(key)) ?? camelCase(key);
    if (field in out && JSON.stringify(out[field]) !== JSON.stringify(value)) {
      throw badRequest(
        'parameter_duplicate',
        `"${sourceOf[field]}" and "${key}" name the same field with different values.`,
        path + field,
      );
    }
    const nested = options.nested?.[field];
    out[field] = nested ? normaliseKeys(value, nested, `${path}${field}.`) : value;
    sourceOf[field] = key;
  }
  return out;
}

export function normaliseBody(body: unknown, options: NormaliseOptions): unknown {
  return normaliseKeys(unwrapEnvelope(body), options);
}
