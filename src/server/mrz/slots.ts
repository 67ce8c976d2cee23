/**
 * From the recogniser's per-step probabilities to exactly N characters. The zone is monospaced, so
 * each character has a cell on a regular grid between the ends of the ink; the greedy CTC reading is
 * aligned to that grid (dynamic programming), cells it skipped (the model deletes characters inside
 * runs of fillers) are read from the probabilities under them, and each position keeps only the
 * characters its field allows, with look-alikes (O and 0, I and 1, B and 8 …) counted for the allowed one.
 */
import { MRZ_ALPHABET } from '../../core/mrz/check-digit.js';
import type { CharClass } from '../../core/mrz/formats.js';
import { CLASSES, REC_STRIDE, type LineProbs } from './recognise.js';

export interface SlotRead {
  char: string;
  /** Probability mass behind the chosen character (its look-alikes included), 0–1. */
  confidence: number;
  /** Every allowed character with its mass, best first. */
  alternatives: [string, number][];
  /** True when no character of the greedy reading fell in this cell. */
  filled: boolean;
}

export interface LineRead {
  text: string;
  slots: SlotRead[];
  /** The greedy CTC reading before alignment (for diagnostics). */
  greedy: string;
  /** Mean distance of aligned characters from their cells, in cells (0 is perfect). */
  misalignment: number;
  /** Characters of the greedy reading that fit no cell: the line may not be where it was cropped. */
  dropped: number;
  /**
   * The greedy reading was short and left more than a cell empty at an end of the ink: a character
   * at the start or end may have been lost, and the line read one cell off.
   */
  edgeGap: boolean;
}

interface Token {
  index: number; // into MRZ_ALPHABET
  x: number; // crop column of its centre
  peak: number; // step of its highest probability
}

const ALLOWED: Record<CharClass, string> = {
  d: '0123456789<',
  a: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ<',
  s: 'MFX<',
  x: MRZ_ALPHABET,
};

/** Characters that may be read in place of an allowed one: allowed ← [look-alikes]. */
const LOOKALIKES: Record<string, string> = {
  '0': 'OQDU',
  '1': 'ILTJ',
  '2': 'Z',
  '4': 'A',
  '5': 'S',
  '6': 'G',
  '7': 'T',
  '8': 'B',
  O: '0Q',
  I: '1L',
  Z: '2',
  S: '5',
  B: '8',
  G: '6',
  A: '4',
  T: '7',
  M: 'N',
  F: 'E',
  X: 'K',
};

/**
 * The greedy CTC reading with each character's position. A run of one character longer than a cell
 * (CTC needs a blank between repeats, and the model often leaves it out in runs of fillers or doubled
 * letters) is split into as many characters as cells it covers.
 */
function greedyTokens(line: LineProbs, pitchSteps: number): Token[] {
  const tokens: Token[] = [];
  let run: { index: number; first: number; last: number; peak: number; best: number } | null = null;
  const flush = () => {
    if (!run) return;
    const span = run.last - run.first + 1;
    const count = span > pitchSteps * 1.15 ? Math.max(1, Math.round(span / pitchSteps)) : 1;
    for (let k = 0; k < count; k++) {
      const at = count === 1 ? (run.first + run.last) / 2 : run.first + ((k + 0.5) * span) / count - 0.5;
      const peak = count === 1 ? run.peak : Math.round(at);
      tokens.push({ index: run.index, x: (at + 0.5) * REC_STRIDE, peak });
    }
    run = null;
  };
  for (let t = 0; t < line.steps; t++) {
    const row = t * CLASSES;
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (line.probs[row + c]! > line.probs[row + best]!) best = c;
    if (best === 0) {
      flush();
      continue;
    }
    if (run && run.index !== best - 1) flush();
    const p = line.probs[row + best]!;
    if (!run) run = { index: best - 1, first: t, last: t, peak: t, best: p };
    run.last = t;
    if (p > run.best) {
      run.best = p;
      run.peak = t;
    }
  }
  flush();
  return tokens;
}

/** Monotone alignment of tokens to cells: each token to one cell or dropped, each cell to one token or empty. */
function align(
  tokens: Token[],
  centre: (i: number) => number,
  pitch: number,
  n: number,
): { cellOf: Int32Array; cost: number } {
  const k = tokens.length;
  const SKIP_CELL = 0.6;
  const DROP_TOKEN = 1.2;
  // cost[i][j]: best cost of placing the first j tokens in the first i cells.
  const cost = new Float64Array((n + 1) * (k + 1)).fill(Infinity);
  const move = new Int8Array((n + 1) * (k + 1));
  const at = (i: number, j: number) => i * (k + 1) + j;
  cost[at(0, 0)] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= k; j++) {
      const here = cost[at(i, j)]!;
      if (here === Infinity) continue;
      if (i < n && here + SKIP_CELL < cost[at(i + 1, j)]!) {
        cost[at(i + 1, j)] = here + SKIP_CELL;
        move[at(i + 1, j)] = 1;
      }
      if (j < k && here + DROP_TOKEN < cost[at(i, j + 1)]!) {
        cost[at(i, j + 1)] = here + DROP_TOKEN;
        move[at(i, j + 1)] = 2;
      }
      if (i < n && j < k) {
        const d = Math.abs(tokens[j]!.x - centre(i)) / pitch;
        const c = here + Math.min(3, d * d);
        if (c < cost[at(i + 1, j + 1)]!) {
          cost[at(i + 1, j + 1)] = c;
          move[at(i + 1, j + 1)] = 3;
        }
      }
    }
  }
  const cellOf = new Int32Array(k).fill(-1);
  const total = cost[at(n, k)]!;
  let i = n;
  let j = k;
  while (i > 0 || j > 0) {
    const m = move[at(i, j)];
    if (m === 3) {
      cellOf[j - 1] = i - 1;
      i -= 1;
      j -= 1;
    } else if (m === 2) j -= 1;
    else i -= 1;
  }
  return { cellOf, cost: total };
}

/** The zone-character distribution at one step, blank left out. */
function distributionAt(line: LineProbs, t: number): Float64Array {
  const out = new Float64Array(MRZ_ALPHABET.length);
  const row = t * CLASSES;
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += out[c] = line.probs[row + 1 + c]!;
  for (let c = 0; c < out.length; c++) out[c]! /= Math.max(sum, 1e-9);
  return out;
}

/** For a cell with no token: per character, its highest probability over the steps under the cell. */
function distributionUnder(line: LineProbs, from: number, to: number): Float64Array {
  const out = new Float64Array(MRZ_ALPHABET.length);
  const t0 = Math.max(0, Math.floor(from / REC_STRIDE));
  const t1 = Math.min(line.steps - 1, Math.floor(to / REC_STRIDE));
  for (let t = t0; t <= t1; t++) {
    const row = t * CLASSES;
    for (let c = 0; c < out.length; c++) out[c] = Math.max(out[c]!, line.probs[row + 1 + c]!);
  }
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += out[c]!;
  for (let c = 0; c < out.length; c++) out[c]! /= Math.max(sum, 1e-9);
  return out;
}

/** The allowed characters' masses (look-alikes included), best first. */
export function constrain(distribution: ArrayLike<number>, cls: CharClass): [string, number][] {
  const allowed = ALLOWED[cls];
  const masses: [string, number][] = [...allowed].map((char) => {
    let mass = distribution[MRZ_ALPHABET.indexOf(char)]!;
    for (const other of LOOKALIKES[char] ?? '') {
      if (!allowed.includes(other)) mass += distribution[MRZ_ALPHABET.indexOf(other)]!;
    }
    return [char, mass];
  });
  return masses.sort((a, b) => b[1] - a[1]);
}

/** Least squares x = a + b·i + c·i² over the aligned tokens; null with too few of them. */
function fitQuadratic(tokens: Token[], cellOf: Int32Array): number[] | null {
  const m = [0, 0, 0, 0, 0];
  const r = [0, 0, 0];
  let count = 0;
  cellOf.forEach((cell, j) => {
    if (cell < 0) return;
    const x = tokens[j]!.x;
    let p = 1;
    for (let k = 0; k < 5; k++) {
      m[k]! += p;
      p *= cell;
    }
    r[0]! += x;
    r[1]! += x * cell;
    r[2]! += x * cell * cell;
    count += 1;
  });
  if (count < 6) return null;
  // Normal equations, 3×3, by Cramer's rule.
  const a = [
    [m[0]!, m[1]!, m[2]!],
    [m[1]!, m[2]!, m[3]!],
    [m[2]!, m[3]!, m[4]!],
  ];
  const det = (q: number[][]) =>
    q[0]![0]! * (q[1]![1]! * q[2]![2]! - q[1]![2]! * q[2]![1]!) -
    q[0]![1]! * (q[1]![0]! * q[2]![2]! - q[1]![2]! * q[2]![0]!) +
    q[0]![2]! * (q[1]![0]! * q[2]![1]! - q[1]![1]! * q[2]![0]!);
  const d = det(a);
  if (Math.abs(d) < 1e-9) return null;
  return [0, 1, 2].map((k) => det(a.map((row, i) => row.map((v, j) => (j === k ? r[i]! : v)))) / d);
}

/** Reads `classes.length` characters from one line's probabilities. */
export function readSlots(line: LineProbs, classes: readonly CharClass[]): LineRead {
  const n = classes.length;
  const tokens = greedyTokens(line, (line.crop.inkEnd - line.crop.inkStart) / n / REC_STRIDE);
  const greedy = tokens.map((token) => MRZ_ALPHABET[token.index]).join('');
  // The grid: cell centres as a quadratic in the cell index (perspective makes the pitch drift along
  // the line). First the ends of the ink, each nudged by a fraction of a cell, then fitted to the tokens
  // aligned to it. The ends of the ink hold the grid in place: a fit may not slide it by a whole cell
  // (which a dropped first character would otherwise invite: the CTC peaks sit left of centre).
  const inkStart = line.crop.inkStart;
  const inkEnd = line.crop.inkEnd;
  const pitch = Math.max(1, (inkEnd - inkStart) / n);
  const grid = (c: number[]) => (i: number) => c[0]! + c[1]! * i + c[2]! * i * i;
  const anchored = (c: number[]) => {
    const at = grid(c);
    return (
      Math.abs(at(0) - (inkStart + 0.5 * pitch)) <= 0.5 * pitch &&
      Math.abs(at(n - 1) - (inkEnd - 0.5 * pitch)) <= 0.8 * pitch
    );
  };
  let coef = [inkStart + 0.5 * pitch, pitch, 0];
  let centre = grid(coef);
  let cellOf: Int32Array;
  if (tokens.length === n) {
    // The greedy reading has the right length: take it in order.
    cellOf = Int32Array.from(tokens, (_, j) => j);
  } else {
    let best = align(tokens, centre, pitch, n);
    for (const startShift of [-0.3, 0, 0.3]) {
      for (const endShift of [-0.6, -0.3, 0, 0.3, 0.6]) {
        const first = inkStart + (0.5 + startShift) * pitch;
        const last = inkEnd - (0.5 - endShift) * pitch;
        const c = [first, (last - first) / (n - 1), 0];
        const tried = align(tokens, grid(c), pitch, n);
        if (tried.cost < best.cost - 1e-9) {
          best = tried;
          coef = c;
        }
      }
    }
    for (let pass = 0; pass < 2; pass++) {
      const fitted = fitQuadratic(tokens, best.cellOf);
      if (!fitted || !anchored(fitted)) break;
      const tried = align(tokens, grid(fitted), pitch, n);
      if (tried.cost > best.cost + 1e-9) break;
      best = tried;
      coef = fitted;
    }
    centre = grid(coef);
    cellOf = best.cellOf;
  }
  const tokenIn = new Int32Array(n).fill(-1);
  let drift = 0;
  let matched = 0;
  cellOf.forEach((cell, j) => {
    if (cell < 0) return;
    tokenIn[cell] = j;
    drift += Math.abs(tokens[j]!.x - centre(cell)) / pitch;
    matched += 1;
  });
  const slots: SlotRead[] = classes.map((cls, i) => {
    const token = tokenIn[i]! >= 0 ? tokens[tokenIn[i]!]! : null;
    const distribution = token
      ? distributionAt(line, token.peak)
      : distributionUnder(line, centre(i) - pitch / 2, centre(i) + pitch / 2);
    const alternatives = constrain(distribution, cls);
    return { char: alternatives[0]![0], confidence: alternatives[0]![1], alternatives, filled: !token };
  });
  return {
    text: slots.map((slot) => slot.char).join(''),
    slots,
    greedy,
    misalignment: matched > 0 ? drift / matched : 1,
    dropped: tokens.length - matched,
    edgeGap:
      tokens.length < n &&
      tokens.length > 0 &&
      ((tokens[0]!.x - inkStart) / pitch > 1 || (inkEnd - tokens[tokens.length - 1]!.x) / pitch > 1.5),
  };
}
