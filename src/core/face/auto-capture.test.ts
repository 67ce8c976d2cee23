import { describe, expect, it } from 'vitest';
import { AUTO_CAPTURE, AutoCaptureGate, GuidanceStabiliser } from './auto-capture.js';

describe('AutoCaptureGate', () => {
  it('fires once ok has held for the hold time, not a moment before', () => {
    const gate = new AutoCaptureGate();
    expect(gate.update('ok', 1000)).toBe(false);
    expect(gate.update('ok', 1000 + AUTO_CAPTURE.holdMs - 1)).toBe(false);
    expect(gate.update('ok', 1000 + AUTO_CAPTURE.holdMs)).toBe(true);
  });

  it('starts over when any rule fails in between', () => {
    const gate = new AutoCaptureGate(600);
    gate.update('ok', 0);
    gate.update('hold_still', 300);
    expect(gate.update('ok', 600)).toBe(false);
    expect(gate.update('ok', 1199)).toBe(false);
    expect(gate.update('ok', 1200)).toBe(true);
    gate.reset();
    expect(gate.update('ok', 1300)).toBe(false);
  });
});

describe('GuidanceStabiliser', () => {
  it('shows the first instruction at once and a new one only after it held', () => {
    const stabiliser = new GuidanceStabiliser(3);
    expect(stabiliser.update('no_face')).toBe('no_face');
    expect(stabiliser.update('move_closer')).toBe('no_face');
    expect(stabiliser.update('move_closer')).toBe('no_face');
    expect(stabiliser.update('move_closer')).toBe('move_closer');
  });

  it('ignores a one-frame flicker', () => {
    const stabiliser = new GuidanceStabiliser(3);
    stabiliser.update('center_face');
    for (const code of ['ok', 'center_face', 'ok', 'ok', 'center_face'] as const) {
      expect(stabiliser.update(code)).toBe('center_face');
    }
  });
});
