import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DerivedModel, ManifestEntry } from './derive.js';

/**
 * A model the project trains itself (models/document): not rebuilt by models/build.ts, since CI never
 * retrains, but its committed file is checked against the hash recorded here when it was exported.
 */
export interface TrainedEntry {
  readonly output: string;
  /** From the repository root. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly source: Record<string, unknown>;
  readonly evaluation: Record<string, unknown>;
}

export interface Manifest {
  readonly generator: string;
  readonly models: readonly ManifestEntry[];
  readonly trained?: readonly TrainedEntry[];
}

/** The manifest for freshly derived models; trained entries are carried over as they are. */
export function renderManifest(
  models: readonly DerivedModel[],
  trained: readonly TrainedEntry[] = [],
): string {
  const manifest: Manifest = {
    generator: 'node bin/run-ts.mjs models/build.ts',
    models: models.map((model) => model.manifest),
    trained,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Trained model files whose bytes no longer match their manifest entry, one line each. */
export function compareTrainedFiles(manifest: Manifest, root: string): string[] {
  const problems: string[] = [];
  for (const entry of manifest.trained ?? []) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, entry.path));
    } catch {
      problems.push(`${entry.path}: missing (a trained model is committed, never rebuilt)`);
      continue;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== entry.sha256)
      problems.push(`${entry.path}: file is ${sha256}, manifest says ${entry.sha256}`);
  }
  return problems;
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
