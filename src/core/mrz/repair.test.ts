import { describe, expect, it } from 'vitest';
import { parseMrz } from './parse.js';
import { repairCheckDigits } from './repair.js';
import { put, SPECIMENS, withCheckDigits } from './test-helpers.js';

type Alternatives = [string, number][][][];

/** Alternatives as a reader would give them: each character sure, except where `extra` says. */
function alternatives(lines: string[], extra: [number, number, [string, number][]][] = []): Alternatives {
  const out: Alternatives = lines.map((line) => [...line].map((char) => [[char, 0.99]]));
  for (const [line, position, alts] of extra) out[line]![position] = alts;
  return out;
}

const specimen = { now: new Date('2026-01-01'), specimen: true };

describe('check-digit repair', () => {
  it('repairs a field when exactly one considered reading makes its check digit pass', () => {
    const misread = put(SPECIMENS.TD3, 1, 7, 'G'); // L898902C3 read as L898902G3
    const result = repairCheckDigits(
      'TD3',
      misread,
      alternatives(misread, [
        [
          1,
          7,
          [
            ['G', 0.6],
            ['C', 0.35],
            ['O', 0.05],
          ],
        ],
      ]),
    );
    expect(result.lines).toEqual(SPECIMENS.TD3);
    expect(result.repairs).toEqual([
      { field: 'documentNumber', line: 1, position: 7, from: 'G', to: 'C', probability: 0.35 },
    ]);
    expect(parseMrz(result.lines, specimen).valid).toBe(true);
  });

  it('repairs a misread check digit itself', () => {
    const misread = put(SPECIMENS.TD3, 1, 19, '7'); // birth date check digit 2 read as 7
    const result = repairCheckDigits(
      'TD3',
      misread,
      alternatives(misread, [
        [
          1,
          19,
          [
            ['7', 0.7],
            ['2', 0.3],
          ],
        ],
      ]),
    );
    expect(result.lines).toEqual(SPECIMENS.TD3);
    expect(result.repairs[0]).toMatchObject({ field: 'birthDate', from: '7', to: '2' });
  });

  it('leaves a field alone when two readings would both pass, or none was considered likely', () => {
    // 0 for O at positions 0 and 3 of a document number changes the sum by the same amount (weight 7).
    const zone = withCheckDigits('TD3', put(SPECIMENS.TD3, 1, 0, 'O12O45678'));
    const misread = put(zone, 1, 0, '0120');
    const both = alternatives(misread, [
      [
        1,
        0,
        [
          ['0', 0.9],
          ['O', 0.1],
        ],
      ],
      [
        1,
        3,
        [
          ['0', 0.9],
          ['O', 0.1],
        ],
      ],
    ]);
    const ambiguous = repairCheckDigits('TD3', misread, both);
    expect(ambiguous.repairs).toEqual([]);
    expect(ambiguous.lines).toEqual(misread);

    const unlikely = put(SPECIMENS.TD3, 1, 7, 'G');
    const faint = alternatives(unlikely, [
      [
        1,
        7,
        [
          ['G', 0.995],
          ['C', 0.005],
        ],
      ],
    ]);
    expect(repairCheckDigits('TD3', unlikely, faint).repairs).toEqual([]);
  });

  it('lets the composite break a tie between readings', () => {
    // Two readings of the expiry date pass its own check digit; only one also passes the composite.
    const misread = put(SPECIMENS.TD3, 1, 21, '1204159'.replace('120415', '120418')); // 120415 → 120418
    const alts = alternatives(misread, [
      [
        1,
        26,
        [
          ['8', 0.5],
          ['5', 0.3],
        ],
      ],
      [
        1,
        27,
        [
          ['9', 0.6],
          ['2', 0.3],
        ],
      ],
    ]);
    const result = repairCheckDigits('TD3', misread, alts);
    expect(result.lines).toEqual(SPECIMENS.TD3);
  });

  it('repairs unguarded TD1 optional data through the composite alone', () => {
    const zone = withCheckDigits('TD1', put(SPECIMENS.TD1, 1, 18, 'AB12'));
    const misread = put(zone, 1, 20, 'I');
    const result = repairCheckDigits(
      'TD1',
      misread,
      alternatives(misread, [
        [
          1,
          20,
          [
            ['I', 0.55],
            ['1', 0.45],
          ],
        ],
      ]),
    );
    expect(result.lines).toEqual(zone);
    expect(result.repairs[0]).toMatchObject({ field: 'composite', position: 20, to: '1' });
  });

  it('does not touch a zone whose check digits pass, nor a long document number', () => {
    const fine = repairCheckDigits('TD1', SPECIMENS.TD1, alternatives(SPECIMENS.TD1));
    expect(fine).toEqual({ lines: SPECIMENS.TD1, repairs: [] });
    const long = put(put(SPECIMENS.TD1, 0, 14, '<'), 0, 15, '7341<');
    expect(
      repairCheckDigits('TD1', long, alternatives(long)).repairs.filter((r) => r.field === 'documentNumber'),
    ).toEqual([]);
  });
});
