import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly dir: string;
}

/** Finds an installed npm package by name (through its package.json, which every package has). */
export function packageInfo(name: string): PackageInfo {
  const manifestPath = require.resolve(`${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name: string;
    version: string;
    license?: string;
  };
  return {
    name: manifest.name,
    version: manifest.version,
    license: manifest.license ?? 'UNKNOWN',
    dir: dirname(manifestPath),
  };
}

export function readPackageFile(pkg: PackageInfo, file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(pkg.dir, file)));
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
