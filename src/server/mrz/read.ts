/**
 * `readMrz(imageBytes)`: finds and reads the machine-readable zone of a passport data page or ID-card
 * back. Text detection finds the zone's lines, the recogniser reads each line into the zone's fixed
 * number of characters (restricted alphabet, look-alikes resolved by position), check digits repair a
 * character only where exactly one reading is consistent, and a second reading is taken when checks
 * still fail. Every read carries a confidence; a doubtful read says so instead of guessing.
 */
import type { MrzFormat } from '../../core/mrz/formats.js';
import { positionClasses } from '../../core/mrz/formats.js';
import { parseMrz, type MrzParseResult } from '../../core/mrz/parse.js';
import { repairCheckDigits, type Repair } from '../../core/mrz/repair.js';
import { DETECT_SIDE, detectText, type TextBox } from './detect.js';
import { decodeRgb, greyOf, type GreyImage, type RgbImage } from './image.js';
import { sharedOcrModels, type OcrModels } from './models.js';
import {
  cropLine,
  measureLine,
  recognise,
  type CropOptions,
  type LineMeasure,
  type LineProbs,
} from './recognise.js';
import { readSlots, type LineRead } from './slots.js';
import { unifyEnds, zoneCandidates } from './zone.js';

/** At or above this confidence, with every check passing, a read is taken as it is. */
export const CONFIDENT = 0.6;
/** The most a read can be trusted when the recogniser saw characters that fit no cell. */
const DROPPED_CAP = 0.3;

export type MrzReadStatus = 'read' | 'not_found';

export interface MrzRead {
  /** `not_found`: no zone in the image (or none that could be read into a known format). */
  status: MrzReadStatus;
  format: MrzFormat | null;
  /** The zone as read, after look-alike correction and check-digit repair. */
  lines: string[];
  parsed: MrzParseResult | null;
  /** 0–1: the lowest probability behind any character of the zone, lowered when checks fail. */
  confidence: number;
  /** Not to be trusted without a person looking: low confidence, a failed check, or an invalid field. */
  doubtful: boolean;
  repairs: Repair[];
  /** Readings taken (1, or 2 when the first failed its checks). */
  attempts: number;
  timings: { decodeMs: number; detectMs: number; recogniseMs: number; totalMs: number };
}

export interface ReadOptions {
  models?: OcrModels;
  /** Today, for dates (defaults to now). */
  now?: Date;
  /** Accept the specimen state `UTO` (tests only). */
  specimen?: boolean;
  /** Longer side of the image for text detection. */
  detectSide?: number;
}

interface Attempt {
  format: MrzFormat;
  reads: LineRead[];
  lines: string[];
  parsed: MrzParseResult;
  repairs: Repair[];
  confidence: number;
}

const FIRST: CropOptions = { stretch: 1.5, textShare: 0.6 };
const SECOND: CropOptions = { stretch: 1.3, textShare: 0.7 };

/**
 * Formats a zone of this many lines may have, most likely first. Three lines are TD1. Two lines are
 * TD3 (44 characters) or TD2 (36): told apart by the line's length in text heights (about 40 for TD3,
 * 33 for TD2, with OCR-B's fixed pitch) and by how many characters the recogniser saw.
 */
function formatsFor(lineCount: number, lengthInHeights: number, greedyLength: number): MrzFormat[] {
  if (lineCount === 3) return ['TD1'];
  if (greedyLength >= 41) return ['TD3', 'TD2'];
  if (greedyLength <= 34 && lengthInHeights < 36.5) return ['TD2', 'TD3'];
  return lengthInHeights >= 36.5 ? ['TD3', 'TD2'] : ['TD2', 'TD3'];
}

/** Pairs of characters OCR-B readers confuse, where a field allows both. */
const CONFUSABLE: [string, string][] = [
  ['O', '0'],
  ['Q', '0'],
  ['D', '0'],
  ['I', '1'],
  ['S', '5'],
  ['B', '8'],
  ['Z', '2'],
  ['G', '6'],
];
/** The small probability a confusable partner is given for check-digit repair, when the model gave less. */
const CONFUSION_PRIOR = 0.02;

function withConfusions(alternatives: [string, number][]): [string, number][] {
  const mass = new Map(alternatives);
  const [best] = alternatives[0]!;
  for (const [a, b] of CONFUSABLE) {
    const partner = best === a ? b : best === b ? a : null;
    if (partner && mass.has(partner)) mass.set(partner, Math.max(mass.get(partner)!, CONFUSION_PRIOR));
  }
  return [...mass.entries()].sort((x, y) => y[1] - x[1]);
}

function finish(format: MrzFormat, reads: LineRead[], options: ReadOptions): Attempt {
  const raw = reads.map((read) => read.text);
  const alternatives = reads.map((read) => read.slots.map((slot) => withConfusions(slot.alternatives)));
  const repaired = repairCheckDigits(format, raw, alternatives);
  const parsed = parseMrz(repaired.lines, { now: options.now, specimen: options.specimen });
  let confidence = 1;
  reads.forEach((read, line) =>
    read.slots.forEach((slot, position) => {
      const repair = repaired.repairs.find((r) => r.line === line && r.position === position);
      confidence = Math.min(confidence, repair ? repair.probability : slot.confidence);
    }),
  );
  if (!parsed.checkDigitsValid) confidence *= 0.5;
  // The recogniser saw characters that fit no cell: the crop may have lost or gained part of a line,
  // which check digits cannot tell in the names.
  if (reads.some((read) => read.dropped > 0 || read.edgeGap)) confidence = Math.min(confidence, DROPPED_CAP);
  return { format, reads, lines: repaired.lines, parsed, repairs: repaired.repairs, confidence };
}

/** Average of two readings' per-position distributions, over the characters both allowed. */
function combine(a: LineRead, b: LineRead): LineRead {
  const slots = a.slots.map((slot, i) => {
    const other = b.slots[i]!;
    const mass = new Map<string, number>();
    for (const [char, p] of slot.alternatives) mass.set(char, p / 2);
    for (const [char, p] of other.alternatives) mass.set(char, (mass.get(char) ?? 0) + p / 2);
    const alternatives = [...mass.entries()].sort((x, y) => y[1] - x[1]);
    return {
      char: alternatives[0]![0],
      confidence: alternatives[0]![1],
      alternatives,
      filled: slot.filled && other.filled,
    };
  });
  return {
    text: slots.map((s) => s.char).join(''),
    slots,
    greedy: a.greedy,
    misalignment: (a.misalignment + b.misalignment) / 2,
    dropped: Math.max(a.dropped, b.dropped),
    edgeGap: a.edgeGap || b.edgeGap,
  };
}

/** Passing every check digit first, then a valid parse, then confidence; ties keep the earlier one. */
function better(a: Attempt | null, b: Attempt): Attempt {
  if (!a) return b;
  const rank = (x: Attempt) => (x.parsed.checkDigitsValid ? 4 : 0) + (x.parsed.valid ? 2 : 0);
  if (rank(b) !== rank(a)) return rank(b) > rank(a) ? b : a;
  return b.confidence > a.confidence + 0.05 ? b : a;
}

async function readZone(
  models: OcrModels,
  image: GreyImage,
  zone: TextBox[],
  measures: LineMeasure[],
  crop: CropOptions,
): Promise<LineProbs[]> {
  return recognise(
    models,
    zone.map((box, i) => cropLine(image, box, measures[i]!, crop)),
  );
}

function attemptsFor(probs: LineProbs[], measures: LineMeasure[], options: ReadOptions): Attempt[] {
  const greedyLength = Math.max(
    ...probs.map((line) => readSlots(line, Array<'x'>(44).fill('x')).greedy.length),
  );
  const height = Math.max(...measures.map((m) => m.textHeight));
  const length = Math.max(...measures.map((m) => m.u1 - m.u0));
  return formatsFor(probs.length, length / height, greedyLength).map((format) => {
    const classes = positionClasses(format);
    return finish(
      format,
      probs.map((line, i) => readSlots(line, classes[i]!)),
      options,
    );
  });
}

export async function readMrz(imageBytes: Uint8Array, options: ReadOptions = {}): Promise<MrzRead> {
  const started = performance.now();
  const models = options.models ?? (await sharedOcrModels());
  const timings = { decodeMs: 0, detectMs: 0, recogniseMs: 0, totalMs: 0 };
  const notFound = (): MrzRead => ({
    status: 'not_found',
    format: null,
    lines: [],
    parsed: null,
    confidence: 0,
    doubtful: true,
    repairs: [],
    attempts: 0,
    timings: { ...timings, totalMs: performance.now() - started },
  });
  let image: RgbImage;
  try {
    image = await decodeRgb(imageBytes);
  } catch {
    return notFound();
  }
  timings.decodeMs = performance.now() - started;
  const t0 = performance.now();
  const side = options.detectSide ?? DETECT_SIDE;
  let boxes = await detectText(models, image, { maxSide: side });
  // Small or faint zones can vanish at the detection size: once more at a larger one.
  const larger = Math.min(Math.max(image.width, image.height), Math.round(side * 1.6));
  if (zoneCandidates(boxes).length === 0 && larger > side * 1.1) {
    boxes = await detectText(models, image, { maxSide: larger });
  }
  timings.detectMs = performance.now() - t0;

  const grey = greyOf(image);
  let best: Attempt | null = null;
  let attempts = 0;
  const t1 = performance.now();
  for (const zone of zoneCandidates(boxes).slice(0, 3)) {
    const measures = unifyEnds(
      zone,
      zone.map((box) => measureLine(grey, box)),
    );
    const first = await readZone(models, grey, zone, measures, FIRST);
    attempts = 1;
    const tries = attemptsFor(first, measures, options);
    for (const attempt of tries) best = better(best, attempt);
    if (best && best.parsed.checkDigitsValid && best.confidence >= CONFIDENT) break;
    // A second reading with another crop; positions are averaged with the first.
    const second = await readZone(models, grey, zone, measures, SECOND);
    attempts = 2;
    for (const attempt of tries) {
      const classes = positionClasses(attempt.format);
      const again = second.map((line, i) => readSlots(line, classes[i]!));
      best = better(
        best,
        finish(
          attempt.format,
          attempt.reads.map((read, i) => combine(read, again[i]!)),
          options,
        ),
      );
      best = better(best, finish(attempt.format, again, options));
    }
    if (best && best.parsed.checkDigitsValid) break;
  }
  timings.recogniseMs = performance.now() - t1;
  if (!best) return notFound();
  const parsed = best.parsed;
  return {
    status: 'read',
    format: best.format,
    lines: best.lines,
    parsed,
    confidence: round(best.confidence),
    doubtful: best.confidence < CONFIDENT || !parsed.valid,
    repairs: best.repairs,
    attempts,
    timings: { ...timings, totalMs: performance.now() - started },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
