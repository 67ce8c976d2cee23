/**
 * How the evaluation counts cut-off flags: the detector's own verdict whatever its presence, and what the
 * product tells the person, which needs a found document.
 */

import { describe, expect, it } from 'vitest';
import type { DocumentDetection } from '../../src/core/document/decode.js';
import { summarise, type FrameLabel } from './figures.js';

const CONTENT = [0, 0, 640, 480];

function label(corners: number[][]): FrameLabel {
  return { present: true, kind: 1, neg_kind: -1, corners, content: CONTENT };
}

const WHOLE = label([
  [100, 100],
  [500, 100],
  [500, 350],
  [100, 350],
]);
const CUT = label([
  [-40, 100],
  [400, 100],
  [400, 350],
  [-40, 350],
]);

function detection(present: boolean, inside: [boolean, boolean, boolean, boolean]): DocumentDetection {
  const corners = WHOLE.corners.map(([x, y]) => ({ x: x!, y: y! }));
  return {
    present,
    confidence: present ? 0.9 : 0.1,
    corners: [corners[0]!, corners[1]!, corners[2]!, corners[3]!],
    inside,
    insideScores: inside.map((v) => (v ? 0.9 : 0.1)) as [number, number, number, number],
  };
}

const IN: [boolean, boolean, boolean, boolean] = [true, true, true, true];
const LEFT_OUT: [boolean, boolean, boolean, boolean] = [false, true, true, false];

/** Found and flagged, lost and flagged, found and not flagged, lost and not flagged. */
const EACH_VERDICT = [
  detection(true, LEFT_OUT),
  detection(false, LEFT_OUT),
  detection(true, IN),
  detection(false, IN),
];

describe('cut-off figures', () => {
  it('counts a found document flagged in both ways, and a lost one only in the detector’s', () => {
    const s = summarise([CUT, CUT, CUT, CUT], EACH_VERDICT);
    expect(s.cut).toBe(4);
    expect(s.cutFlaggedPct).toBe(50);
    expect(s.cutFoundFlaggedPct).toBe(25);
  });

  it('does not count a whole document that was not found as wrongly told cut_off', () => {
    const s = summarise([WHOLE, WHOLE, WHOLE, WHOLE], EACH_VERDICT);
    expect(s.wholeFlaggedPct).toBe(50);
    expect(s.wholeFoundFlaggedPct).toBe(25);
  });
});
