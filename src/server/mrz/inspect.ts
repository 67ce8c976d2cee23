/**
 * The zone of one image as `idv inspect` shows it (one JSON object; the command itself lives in
 * src/cli/inspect.ts): the zone as read, the parsed fields with their validity, every check digit, the
 * repairs made, and the confidence.
 */
import { readMrz, type ReadOptions } from './read.js';

export async function inspectMrz(imageBytes: Uint8Array, options: ReadOptions = {}) {
  const read = await readMrz(imageBytes, options);
  const fields = read.parsed?.fields ?? null;
  return {
    status: read.status,
    format: read.format,
    zone: read.lines,
    fields: fields
      ? Object.fromEntries(
          Object.entries(fields).map(([name, field]) => [
            name,
            { value: field.value, valid: field.valid, ...(field.reason ? { reason: field.reason } : {}) },
          ]),
        )
      : null,
    checkDigits: (read.parsed?.checks ?? []).map(({ name, actual, expected, valid }) => ({
      name,
      actual,
      expected,
      valid,
    })),
    valid: read.parsed?.valid ?? false,
    confidence: read.confidence,
    doubtful: read.doubtful,
    repairs: read.repairs,
    attempts: read.attempts,
    ms: Object.fromEntries(Object.entries(read.timings).map(([k, v]) => [k, Math.round(v)])),
  };
}
