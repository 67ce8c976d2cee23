import { readPackageFile, type PackageInfo } from './package-source.js';

/**
 * The MediaPipe "solution" npm packages (e.g. @mediapipe/face_mesh) ship their models inside one
 * `*_packed_assets.data` file; the Emscripten loader script beside it lists each file's byte range
 * in a `loadPackage({"files": [{filename, start, end}, …]})` call.
 */
export interface PackedAsset {
  /** Base name, e.g. `face_landmark_with_attention.tflite`. */
  readonly name: string;
  /** Full path inside the package's virtual file system. */
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export interface PackedAssets {
  readonly dataFile: string;
  readonly loaderFile: string;
  readonly data: Uint8Array;
  readonly loader: Uint8Array;
  readonly assets: readonly PackedAsset[];
  /** The bytes of one listed file (a view into `data`). */
  file(name: string): Uint8Array;
}

export function readPackedAssets(pkg: PackageInfo, dataFile: string, loaderFile: string): PackedAssets {
  const data = readPackageFile(pkg, dataFile);
  const loader = readPackageFile(pkg, loaderFile);
  const script = new TextDecoder().decode(loader);
  const call = /loadPackage\((\{"files":.*?\})\);/s.exec(script);
  if (!call?.[1]) throw new Error(`${pkg.name}/${loaderFile}: no loadPackage({"files": …}) call found`);
  const listing = JSON.parse(call[1]) as {
    files: Array<{ filename: string; start: number; end: number }>;
    remote_package_size?: number;
  };
  if (listing.remote_package_size !== undefined && listing.remote_package_size !== data.length) {
    throw new Error(
      `${pkg.name}/${dataFile}: ${data.length} bytes, the loader expects ${listing.remote_package_size}`,
    );
  }
  const assets = listing.files.map((entry): PackedAsset => {
    if (!(entry.start >= 0 && entry.start <= entry.end && entry.end <= data.length)) {
      throw new Error(`${pkg.name}/${dataFile}: bad range for ${entry.filename}`);
    }
    return {
      name: entry.filename.slice(entry.filename.lastIndexOf('/') + 1),
      path: entry.filename,
      start: entry.start,
      end: entry.end,
    };
  });
  return {
    dataFile,
    loaderFile,
    data,
    loader,
    assets,
    file(name: string): Uint8Array {
      const asset = assets.find((candidate) => candidate.name === name);
      if (!asset) throw new Error(`${pkg.name}/${dataFile} holds no ${name}`);
      return data.subarray(asset.start, asset.end);
    },
  };
}
