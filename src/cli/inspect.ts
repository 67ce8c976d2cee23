/**
 * `idv inspect FILE…`: what the service measures on each image, one JSON line per file, in order.
 * Images are decoded with sharp (orientation applied), scaled to the analysis width the browser uses,
 * and run through the shared document pipeline with onnxruntime-node. Corners are reported in pixels of
 * the image as oriented. A file that is not an image, or is truncated, gets a line with `error`, a
 * message on stderr, and makes the command exit with status 1 once every file has been tried.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { DocumentGuidanceCode } from '../core/document/rules.js';
import { analysisSize, analyzeDocumentFrame } from '../core/document/pipeline.js';
import { parse, UsageError } from './args.js';
import type { NodeDocumentDetector } from './inspect-detector.js';

export const INSPECT_USAGE = 'idv inspect [--model FILE.onnx] IMAGE…';

export interface InspectResult {
  file: string;
  width: number;
  height: number;
  document: {
    present: boolean;
    confidence: number;
    /** TL, TR, BR, BL of the document as read, image pixels (may lie outside the image). */
    corners: [number, number][];
    /** Which corners lie outside the image (same order). */
    outside: boolean[];
    shape: 'id1' | 'td3' | null;
    /**
     * The second look at a window around the document (src/core/document/second-look.ts): its presence
     * score and whether the corners are its own; null where none was taken.
     */
    secondLook: { confidence: number; refined: boolean } | null;
  };
  guidance: DocumentGuidanceCode;
  codes: DocumentGuidanceCode[];
  measures: {
    fill: number | null;
    aspectRatio: number | null;
    sharpness: number | null;
    glareFraction: number | null;
    largestGlareBlob: number | null;
    brightness: number | null;
  };
  /** Width × height the image was analysed at. */
  analysedAt: [number, number];
  ms: { decode: number; detect: number; total: number };
}

export interface InspectFailure {
  file: string;
  error: string;
}

class ImageError extends Error {}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const maybe = (v: number | null | undefined, digits: number): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : round(v, digits);

async function decode(file: string) {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageError(code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? 'error'})`);
  }
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes).metadata();
    ({ width, height } = meta.autoOrient);
  } catch {
    throw new ImageError('not an image (JPEG, PNG, WebP, AVIF, TIFF or GIF expected)');
  }
  if (!(width > 0 && height > 0)) throw new ImageError('the image has no dimensions');
  const size = analysisSize(width, height);
  try {
    // failOn 'warning': a truncated or corrupt file is refused, never analysed as a half-grey picture.
    const { data, info } = await sharp(bytes, { failOn: 'warning' })
      .rotate()
      .resize({ width: size.width, height: size.height, fit: 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width, height, pixels: data, aw: info.width, ah: info.height, channels: info.channels };
  } catch (error) {
    throw new ImageError(
      `the image data is truncated or corrupt (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

export async function inspectFile(detector: NodeDocumentDetector, file: string): Promise<InspectResult> {
  const t0 = performance.now();
  const img = await decode(file);
  if (img.channels !== 3) throw new ImageError(`unexpected ${img.channels}-channel pixels after decoding`);
  const t1 = performance.now();
  const a = await analyzeDocumentFrame(
    { pixels: img.pixels, width: img.aw, height: img.ah, channels: 3 },
    detector.infer,
    // A single image is worth the thorough analysis: a second inference on a window around the document
    // (fewer false detections) and the corners on the document's edges.
    { secondLook: true, refineEdges: true },
  );
  const t2 = performance.now();
  const sx = img.width / img.aw;
  const sy = img.height / img.ah;
  const d = a.detection;
  return {
    file,
    width: img.width,
    height: img.height,
    document: {
      present: d.present,
      confidence: round(d.confidence, 4),
      corners: d.corners.map((p) => [round(p.x * sx, 2), round(p.y * sy, 2)]),
      outside: d.inside.map((v) => !v),
      shape: a.quality.measures.shape,
      secondLook: d.secondLook
        ? { confidence: round(d.secondLook.confidence, 4), refined: d.secondLook.refined }
        : null,
    },
    guidance: a.quality.code,
    codes: a.quality.codes,
    measures: {
      fill: maybe(a.quality.measures.fill, 4),
      aspectRatio: maybe(a.quality.measures.aspectRatio, 4),
      sharpness: maybe(a.stats?.sharpness, 1),
      glareFraction: maybe(a.stats?.glareFraction, 5),
      largestGlareBlob: maybe(a.stats?.largestGlareBlob, 5),
      brightness: maybe(a.stats?.meanLuma, 1),
    },
    analysedAt: [img.aw, img.ah],
    ms: { decode: round(t1 - t0, 2), detect: round(t2 - t1, 2), total: round(t2 - t0, 2) },
  };
}

export async function inspect(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { model: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError(`no image given\nusage: ${INSPECT_USAGE}`);
  // onnxruntime-node is loaded only when this command runs, not with every `idv` command.
  const { createNodeDocumentDetector } = await import('./inspect-detector.js');
  const detector = await createNodeDocumentDetector(values.model);
  let failed = 0;
  try {
    for (const file of positionals) {
      try {
        process.stdout.write(JSON.stringify(await inspectFile(detector, file)) + '\n');
      } catch (error) {
        if (!(error instanceof ImageError)) throw error;
        failed++;
        process.stdout.write(JSON.stringify({ file, error: error.message } satisfies InspectFailure) + '\n');
        console.error(`idv inspect: ${file}: ${error.message}`);
      }
    }
  } finally {
    await detector.dispose();
  }
  if (failed > 0) process.exitCode = 1;
}
