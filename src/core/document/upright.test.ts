import { describe, expect, it } from 'vitest';
import type { Point, Quad } from './geometry.js';
import { DETECTOR_INPUT_HEIGHT, DETECTOR_INPUT_WIDTH } from './preprocess.js';
import { detection } from './test-helpers.js';
import { quarterTurns, turnUpright, unturnOutputs, unturnedInputSize, type QuarterTurns } from './upright.js';

/** A card's corners in reading order, turned `angle` radians clockwise on screen about (320, 240). */
function turnedCard(angle: number): Quad {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const pts = [
    [-150, -95],
    [150, -95],
    [150, 95],
    [-150, 95],
  ].map(([x, y]): Point => ({ x: 320 + x! * c - y! * s, y: 240 + x! * s + y! * c }));
  return [pts[0]!, pts[1]!, pts[2]!, pts[3]!];
}

const DEG = Math.PI / 180;

describe('quarterTurns', () => {
  it('reads the turn from the direction of the sides as read, to the nearest quarter', () => {
    const cases: [number, QuarterTurns][] = [
      [0, 0],
      [30, 0],
      [-30, 0],
      [90, 1],
      [120, 1],
      [180, 2],
      [-170, 2],
      [-90, 3],
      [270, 3],
    ];
    for (const [degrees, turns] of cases)
      expect(quarterTurns(detection(turnedCard(degrees * DEG)))).toBe(turns);
  });

  it('changes at 45°', () => {
    expect(quarterTurns(detection(turnedCard(44.9 * DEG)))).toBe(0);
    expect(quarterTurns(detection(turnedCard(45.1 * DEG)))).toBe(1);
    expect(quarterTurns(detection(turnedCard(-135.1 * DEG)))).toBe(2);
  });

  it('gives no turn for corners that cross', () => {
    const [a, b, c, d] = turnedCard(180 * DEG);
    expect(quarterTurns(detection([a, c, b, d]))).toBe(0);
  });
});

describe('turnUpright and unturnOutputs', () => {
  it('turn the pixels and the points the same way', () => {
    for (const turns of [0, 1, 2, 3] as const) {
      const { width: uw, height: uh } = unturnedInputSize(turns);
      expect(uw * uh).toBe(DETECTOR_INPUT_WIDTH * DETECTOR_INPUT_HEIGHT);
      // Every pixel of the unturned tensor holds its own index, in each plane.
      const u = new Float32Array(3 * uw * uh).map((_, i) => i % (uw * uh));
      const r = turnUpright(u, turns);
      for (const [xr, yr] of [
        [0, 0],
        [159, 0],
        [0, 119],
        [37, 85],
      ] as const) {
        const index = r[2 * DETECTOR_INPUT_WIDTH * DETECTOR_INPUT_HEIGHT + yr * DETECTOR_INPUT_WIDTH + xr]!;
        const [xu, yu] = [index % uw, Math.floor(index / uw)];
        // The pixel's centre, as a network output in the upright input, lands on the same pixel's centre.
        const centre = [(xr + 0.5) / DETECTOR_INPUT_WIDTH, (yr + 0.5) / DETECTOR_INPUT_HEIGHT];
        const outputs = { presence: [1], inside: [1, 1, 1, 1], corners: [...centre, 0, 0, 0, 0, 0, 0] };
        const back = unturnOutputs({ ...outputs, coarse: outputs.corners }, turns);
        expect(back.corners[0]).toBeCloseTo((xu + 0.5) / uw, 6);
        expect(back.corners[1]).toBeCloseTo((yu + 0.5) / uh, 6);
        expect(back.coarse[0]).toBeCloseTo((xu + 0.5) / uw, 6);
      }
    }
  });
});
