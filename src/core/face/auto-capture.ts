/**
 * Turning per-frame guidance into what the person sees and when the picture is taken: the shown
 * instruction changes only once a new code has held for a few results (no flicker, no chatter in the
 * screen reader), and the capture fires once `ok` has held for `holdMs`.
 */
import type { FaceGuidance } from './rules.js';

export const AUTO_CAPTURE = {
  /** How long every rule must keep passing before the picture is taken (ms). */
  holdMs: 600,
  /** Consecutive results a new instruction needs before it replaces the shown one. */
  stableResults: 3,
  /** After this long without a capture, a shutter button is offered (ms). */
  manualShutterAfterMs: 8000,
} as const;

export class GuidanceStabiliser {
  private shown: FaceGuidance | null = null;
  private candidate: FaceGuidance | null = null;
  private count = 0;

  constructor(private readonly stableResults: number = AUTO_CAPTURE.stableResults) {}

  /** Feeds one result; returns the instruction to show (which changes only when a new one has held). */
  update(guidance: FaceGuidance): FaceGuidance | null {
    if (guidance === this.shown) {
      this.candidate = null;
      this.count = 0;
      return this.shown;
    }
    if (guidance === this.candidate) this.count += 1;
    else {
      this.candidate = guidance;
      this.count = 1;
    }
    if (this.shown === null || this.count >= this.stableResults) {
      this.shown = guidance;
      this.candidate = null;
      this.count = 0;
    }
    return this.shown;
  }
}

export class AutoCaptureGate {
  private okSince: number | null = null;

  constructor(private readonly holdMs: number = AUTO_CAPTURE.holdMs) {}

  /** True when this result, at `timestamp` (ms), completes a run of `ok` lasting `holdMs`. */
  update(guidance: FaceGuidance, timestamp: number): boolean {
    if (guidance !== 'ok') {
      this.okSince = null;
      return false;
    }
    this.okSince ??= timestamp;
    return timestamp - this.okSince >= this.holdMs;
  }

  reset(): void {
    this.okSince = null;
  }
}
