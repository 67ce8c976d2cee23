import { describe, expect, it } from 'vitest';
import type { ImageFeedback } from '../session/feedback.js';
import {
  failureFromCode,
  INITIAL_STATE,
  transition,
  type CapturedImage,
  type FlowEvent,
  type FlowState,
} from './capture-flow.js';

const selfie: CapturedImage = {
  kind: 'selfie',
  blob: new Blob(['x']),
  width: 640,
  height: 480,
  captureId: 'c1',
  metrics: {},
};
const dark: ImageFeedback = { code: 'too_dark', severity: 'error', message: 'Too dark.' };

function run(events: FlowEvent[], from: FlowState = INITIAL_STATE): FlowState {
  return events.reduce(transition, from);
}

describe('capture flow', () => {
  it('walks consent → capture → review → upload → completing → done for a selfie flow', () => {
    const steps: string[] = [];
    let state = INITIAL_STATE;
    for (const event of [
      { type: 'exchanged', missing: ['selfie'], consentGiven: false },
      { type: 'consented' },
      { type: 'captured', image: selfie },
      { type: 'confirm' },
      { type: 'progress', fraction: 0.5 },
      { type: 'uploaded', accepted: true, feedback: [], missing: [] },
      { type: 'completed', redirectUrl: 'https://example.com/cb?session_id=s&state=x' },
    ] satisfies FlowEvent[]) {
      state = transition(state, event);
      steps.push(state.step);
    }
    expect(steps).toEqual(['consent', 'capture', 'review', 'uploading', 'uploading', 'completing', 'done']);
    expect(state).toEqual({ step: 'done', redirectUrl: 'https://example.com/cb?session_id=s&state=x' });
  });

  it('skips consent already given and goes straight to completing when nothing is missing', () => {
    expect(run([{ type: 'exchanged', missing: ['selfie'], consentGiven: true }]).step).toBe('capture');
    expect(run([{ type: 'exchanged', missing: [], consentGiven: true }]).step).toBe('completing');
  });

  it('lets the person decline consent, capturing nothing, and come back to it', () => {
    const declined = run([
      { type: 'exchanged', missing: ['selfie'], consentGiven: false },
      { type: 'declined' },
    ]);
    expect(declined).toEqual({ step: 'cancelled', missing: ['selfie'] });
    // A stray capture after declining must not move the flow on.
    expect(transition(declined, { type: 'captured', image: selfie })).toBe(declined);
    expect(transition(declined, { type: 'consented' })).toBe(declined);
    expect(transition(declined, { type: 'resume' })).toEqual({ step: 'consent', missing: ['selfie'] });
    // Declining is only possible where consent is asked.
    const capturing = run([{ type: 'exchanged', missing: ['selfie'], consentGiven: true }]);
    expect(transition(capturing, { type: 'declined' })).toBe(capturing);
  });

  it('asks again for a refused picture, carrying the service feedback', () => {
    const state = run([
      { type: 'exchanged', missing: ['selfie'], consentGiven: true },
      { type: 'captured', image: selfie },
      { type: 'confirm' },
      { type: 'uploaded', accepted: false, feedback: [dark], missing: ['selfie'] },
    ]);
    expect(state).toMatchObject({ step: 'capture', kind: 'selfie', feedback: [dark] });
  });

  it('lets the person retake from review, and tracks upload progress and retries', () => {
    const review = run([
      { type: 'exchanged', missing: ['selfie'], consentGiven: true },
      { type: 'captured', image: selfie },
    ]);
    expect(transition(review, { type: 'retake' })).toMatchObject({ step: 'capture', feedback: [] });
    const uploading = run([{ type: 'confirm' }, { type: 'progress', fraction: 1.7 }], review);
    expect(uploading).toMatchObject({ step: 'uploading', progress: 1 });
    expect(transition(uploading, { type: 'retrying' })).toMatchObject({ progress: 0, retrying: true });
    expect(transition(uploading, { type: 'upload_failed' })).toMatchObject({
      step: 'review',
      uploadFailed: true,
    });
  });

  it('ignores events that do not belong to the current step', () => {
    const capture = run([{ type: 'exchanged', missing: ['selfie'], consentGiven: true }]);
    expect(transition(capture, { type: 'confirm' })).toBe(capture);
    expect(transition(capture, { type: 'captured', image: { ...selfie, kind: 'passport' } })).toBe(capture);
    expect(transition(INITIAL_STATE, { type: 'consented' })).toBe(INITIAL_STATE);
  });

  it('fails on an unrecoverable error from any step but never after done', () => {
    expect(run([{ type: 'failed', reason: 'link_used' }])).toEqual({ step: 'failed', reason: 'link_used' });
    const done: FlowState = { step: 'done', redirectUrl: null };
    expect(transition(done, { type: 'failed', reason: 'network' })).toBe(done);
  });

  it('says plainly when a required kind cannot be captured by this widget yet', () => {
    const state = run([
      { type: 'exchanged', missing: ['document_front', 'document_back'], consentGiven: true },
    ]);
    expect(state).toEqual({ step: 'failed', reason: 'unsupported' });
  });

  it('maps the service error codes to reasons', () => {
    expect(failureFromCode('client_token_used')).toBe('link_used');
    expect(failureFromCode('upload_token_expired')).toBe('link_expired');
    expect(failureFromCode('session_not_active')).toBe('session_closed');
    expect(failureFromCode('network_error')).toBe('network');
    expect(failureFromCode('something_new')).toBe('unknown');
  });
});
