import type { DerivedModel, ManifestEntry } from './derive.js';

export interface Manifest {
  readonly generator: string;
  readonly models: readonly ManifestEntry[];
}

export function renderManifest(models: readonly DerivedModel[]): string {
  const manifest: Manifest = {
    generator: 'node bin/run-ts.mjs models/build.ts',
    models: models.map((model) => model.manifest),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Differences between a fresh build and the committed manifest, one line each (empty when equal). */
export function compareWithManifest(manifest: Manifest, models: readonly DerivedModel[]): string[] {
  const problems: string[] = [];
  for (const model of models) {
    const entry = manifest.models.find((candidate) => candidate.output === model.output);
    if (!entry) {
      problems.push(`${model.output}: not in models/manifest.json`);
      continue;
    }
    if (entry.sha256 !== model.manifest.sha256) {
      problems.push(`${model.output}: built ${model.manifest.sha256}, manifest says ${entry.sha256}`);
    }
    const builtSources = JSON.stringify(model.manifest.source);
    if (JSON.stringify(entry.source) !== builtSources) {
      problems.push(`${model.output}: source differs from the manifest (${builtSources})`);
    }
    const builtContents = JSON.stringify(model.manifest.contents);
    if (JSON.stringify(entry.contents) !== builtContents) {
      problems.push(`${model.output}: contents differ from the manifest (${builtContents})`);
    }
  }
  for (const entry of manifest.models) {
    if (!models.some((model) => model.output === entry.output))
      problems.push(`${entry.output}: no longer built`);
  }
  return problems;
}
