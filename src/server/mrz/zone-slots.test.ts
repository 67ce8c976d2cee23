import { describe, expect, it } from 'vitest';
import { MRZ_ALPHABET } from '../../core/mrz/check-digit.js';
import type { CharClass } from '../../core/mrz/formats.js';
import type { TextBox } from './detect.js';
import { CLASSES, REC_STRIDE, type LineProbs } from './recognise.js';
import { constrain, readSlots } from './slots.js';
import { joinPieces, unifyEnds, zoneCandidates } from './zone.js';

const box = (cx: number, cy: number, length: number, thickness = 20, angle = 0): TextBox => ({
  cx,
  cy,
  angle,
  length,
  thickness,
  score: 0.95,
});

describe('finding the zone among text lines', () => {
  it('joins pieces of one line split inside a run of fillers', () => {
    const joined = joinPieces([box(100, 200, 160), box(290, 201, 120)]);
    expect(joined).toHaveLength(1);
    expect(joined[0]!.length).toBeCloseTo(330, 0); // 20 … 350
    expect(joinPieces([box(100, 200, 160), box(290, 240, 120)])).toHaveLength(2);
  });

  it('takes three parallel, left-aligned lines as a zone even when they lost their fillers', () => {
    const lines = [box(200, 400, 300), box(250, 430, 400), box(180, 460, 260)];
    const visual = [box(150, 100, 120, 30), box(160, 160, 200, 30)];
    const [zone] = zoneCandidates([...visual, ...lines]);
    expect(zone?.map((line) => line.cy)).toEqual([400, 430, 460]);
  });

  it('wants one line of zone length in a pair, and lines that start together', () => {
    expect(zoneCandidates([box(300, 400, 500), box(280, 430, 460)])).toHaveLength(1);
    expect(zoneCandidates([box(300, 400, 250), box(280, 430, 230)])).toHaveLength(0);
    expect(zoneCandidates([box(300, 400, 500), box(500, 430, 500)])).toHaveLength(0);
  });

  it('gives every line of a zone the outermost ends found on any of them', () => {
    const zone = [box(200, 400, 300), box(250, 430, 400)];
    const unified = unifyEnds(zone, [
      { u0: -150, u1: 150 },
      { u0: -200, u1: 260 },
    ]);
    expect(unified[0]).toEqual({ u0: -150, u1: 310 });
    expect(unified[1]).toEqual({ u0: -200, u1: 260 });
  });
});

/** Recogniser output for a line: each character a peak at its cell centre, blanks between. */
function probsFor(
  text: string,
  options: { drop?: number[]; weak?: [number, string, number][] } = {},
): LineProbs {
  const perCell = 5; // steps per character
  const steps = text.length * perCell + 4;
  const probs = new Float32Array(steps * CLASSES);
  for (let t = 0; t < steps; t++) probs[t * CLASSES] = 1;
  [...text].forEach((char, i) => {
    if (options.drop?.includes(i)) {
      // The model put a weak trace of the character under its cell, and the blank won.
      const t = 2 + i * perCell + 2;
      probs[t * CLASSES] = 0.7;
      probs[t * CLASSES + 1 + MRZ_ALPHABET.indexOf(char)] = 0.3;
      return;
    }
    const t = 2 + i * perCell + 2;
    probs[t * CLASSES] = 0;
    const weak = options.weak?.find(([at]) => at === i);
    if (weak) {
      probs[t * CLASSES + 1 + MRZ_ALPHABET.indexOf(weak[1])] = weak[2];
      probs[t * CLASSES + 1 + MRZ_ALPHABET.indexOf(char)] = 1 - weak[2];
    } else probs[t * CLASSES + 1 + MRZ_ALPHABET.indexOf(char)] = 1;
  });
  const inkStart = 2 * REC_STRIDE;
  return {
    probs,
    steps,
    coverage: 1,
    crop: {
      grey: new Float32Array(0),
      width: steps * REC_STRIDE,
      inkStart,
      inkEnd: inkStart + text.length * perCell * REC_STRIDE,
      inkHeight: 28,
    },
  };
}

const any = (n: number): CharClass[] => Array<CharClass>(n).fill('x');

describe('reading a line into its fixed number of characters', () => {
  it('keeps a greedy reading of the right length', () => {
    const text = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
    const read = readSlots(probsFor(text), any(44));
    expect(read.text).toBe(text);
    expect(read.slots.every((slot) => slot.confidence > 0.99 && !slot.filled)).toBe(true);
  });

  it('puts characters the greedy reading lost back in their cells', () => {
    const text = 'I<UTOD231458907<<<<<<<<<<<<<<<';
    const read = readSlots(probsFor(text, { drop: [16, 17, 21] }), any(30));
    expect(read.greedy.length).toBe(27);
    expect(read.text).toBe(text);
    expect(read.slots[17]).toMatchObject({ filled: true, char: '<' });
  });

  it('resolves look-alikes by what the position allows', () => {
    const text = '7408122F1204159UTO<<<<<<<<<<<6';
    const classes: CharClass[] = [...'dddddddsdddddddaaaxxxxxxxxxxxd'] as CharClass[];
    // The model prefers O over 0 at position 1 and 1 over I at position 16.
    const probs = probsFor(text.replace('7408', '74O8').replace('UTO', 'U1O'));
    const read = readSlots(probs, classes);
    expect(read.text).toBe(text.replace('UTO', 'UIO'));
    expect(
      constrain(
        Float64Array.from(MRZ_ALPHABET, (c) => (c === 'O' ? 0.8 : c === '0' ? 0.1 : 0)),
        'd',
      )[0],
    ).toEqual(['0', expect.closeTo(0.9, 5)]);
  });

  it('carries the doubt of the model into the confidence', () => {
    const text = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
    const read = readSlots(probsFor(text, { weak: [[7, 'G', 0.45]] }), any(44));
    expect(read.text).toBe(text);
    expect(read.slots[7]!.confidence).toBeCloseTo(0.55, 2);
    expect(read.slots[7]!.alternatives[1]).toEqual(['G', expect.closeTo(0.45, 2)]);
  });
});
