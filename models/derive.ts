import { deriveFaceDetector } from './face-detector.js';
import {
  deriveFaceLandmarksDetector,
  FACE_LANDMARKER_BUNDLE,
  packageFaceLandmarker,
} from './face-landmarker.js';
import { readPackedAssets } from './lib/packed-assets.js';
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
  /** For a bundle: each file inside it and where it came from. */
  readonly contents?: ReadonlyArray<{
    readonly file: string;
    readonly from: string;
    readonly sha256: string;
    readonly bytes: number;
  }>;
  readonly changes: readonly string[];
}

function fileFacts(file: string, bytes: Uint8Array) {
  return { file, sha256: sha256(bytes), bytes: bytes.length };
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

/**
 * The FaceLandmarker bundle: the attention face mesh from @mediapipe/face_mesh with its outputs
 * merged into tasks-vision's 478-point layout, the geometry pipeline metadata from the same package,
 * and the face detector derived above.
 */
function faceLandmarker(detector: DerivedModel): DerivedModel {
  const pkg = packageInfo('@mediapipe/face_mesh');
  const packed = readPackedAssets(
    pkg,
    'face_mesh_solution_packed_assets.data',
    'face_mesh_solution_packed_assets_loader.js',
  );
  const attentionName = 'face_landmark_with_attention.tflite';
  const attention = packed.file(attentionName);
  const geometry = packed.file(FACE_LANDMARKER_BUNDLE.geometry);
  const landmarks = deriveFaceLandmarksDetector(attention);
  const bytes = packageFaceLandmarker({ detector: detector.bytes, landmarks, geometry });
  const output = 'face_landmarker.task';
  const within = (name: string): string => {
    const asset = packed.assets.find((candidate) => candidate.name === name);
    return `${pkg.name}/${packed.dataFile} bytes ${asset?.start}..${asset?.end} (${asset?.path})`;
  };
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
        files: [
          fileFacts(packed.dataFile, packed.data),
          fileFacts(packed.loaderFile, packed.loader),
          fileFacts(attentionName, attention),
          fileFacts(FACE_LANDMARKER_BUNDLE.geometry, geometry),
        ],
      },
      contents: [
        {
          ...fileFacts(FACE_LANDMARKER_BUNDLE.detector, detector.bytes),
          from: `models/out/${detector.output} (derived above from ${detector.manifest.source.package})`,
        },
        {
          ...fileFacts(FACE_LANDMARKER_BUNDLE.landmarks, landmarks),
          from: `${within(attentionName)}, rewritten`,
        },
        {
          ...fileFacts(FACE_LANDMARKER_BUNDLE.geometry, geometry),
          from: `${within(FACE_LANDMARKER_BUNDLE.geometry)}, unchanged`,
        },
      ],
      changes: [
        'Packaged as a ZIP of stored (uncompressed) entries in a fixed order with fixed timestamps, each ' +
          'entry 64-byte aligned: face_detector.tflite, face_landmarks_detector.tflite, ' +
          'geometry_pipeline_metadata_landmarks.binarypb, the names tasks-vision FaceLandmarker reads.',
        'face_detector.tflite is face_detection_short_range.tflite as derived above (metadata added).',
        'face_landmarks_detector.tflite is face_landmark_with_attention.tflite with four builtin operators ' +
          'appended to its graph: FULLY_CONNECTED (mean z of each eye contour), RESHAPE, CONCATENATION of ' +
          'the mesh, lips, eye and iris outputs, and GATHER with a constant index map, giving one ' +
          '[1,1,1,1434] output (478 x, y, z: lips and eye contours overwrite x, y of the 468-point mesh, ' +
          "irises become points 468-477 with the eye contour's mean z, per MediaPipe's landmark " +
          'refinement). Graph outputs are now that tensor and the face-presence logit (conv_faceflag).',
        'face_landmarks_detector.tflite carries TFLite model metadata (ModelMetadata M001, ' +
          'min_parser_version 1.0.0): one RGB image input 192x192 with NormalizationOptions mean 0, std 255 ' +
          'and stats 0..1.',
        'The original weights, tensors and operators are unchanged (the original file is embedded byte ' +
          'for byte); the geometry pipeline metadata is unchanged.',
      ],
    },
  };
}

/** Every model the product ships, derived from the pinned npm packages. Pure: no files written. */
export function deriveAllModels(): DerivedModel[] {
  const detector = faceDetector();
  return [detector, faceLandmarker(detector)];
}
