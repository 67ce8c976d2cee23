/** Small helpers the benchmarks share: percentiles, brotli sizes, and the hashed assets of a build. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/** The q-quantile by the nearest-rank method, unrounded (NaN for no values). */
export function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The nearest-rank q-quantile to two decimals, as the bench reports it. */
export function quantile(values: readonly number[], q: number): number {
  return Math.round(nearestRank(values, q) * 100) / 100;
}

export function percentiles(values: readonly number[]): { p50: number; p95: number } {
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95) };
}

/** Bytes after brotli at the quality a static server would pre-compress with. */
export function brotliBytes(data: Uint8Array): number {
  return brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length;
}

export function brotliFileBytes(file: string): number {
  return brotliBytes(readFileSync(file));
}

/** Files of a Vite build's assets folder whose names start with one of `prefixes`, with their sizes. */
export function assetSizes(
  assetsDir: string,
  prefixes: readonly string[],
): Record<string, { raw: number; brotli: number }> {
  const sizes: Record<string, { raw: number; brotli: number }> = {};
  for (const name of readdirSync(assetsDir)) {
    if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
    const file = join(assetsDir, name);
    sizes[name] = { raw: statSync(file).size, brotli: brotliFileBytes(file) };
  }
  return sizes;
}

export function sumBrotli(sizes: Record<string, { brotli: number }>): number {
  return Object.values(sizes).reduce((total, size) => total + size.brotli, 0);
}
