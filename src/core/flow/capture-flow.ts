/**
 * The capture flow as a small, explicit state machine: pure data in, pure data out. The `<idv-verify>`
 * element renders the state and performs the effect each state asks for (exchange, consent, upload,
 * complete); the machine never touches the network, the camera or the DOM.
 *
 *   starting → consent → capture(kind) → review → uploading ─┬→ capture(next kind) …
 *             ↓  ↑ (skipped when already given)    ↑ retake,  ├→ capture(same kind, with feedback)
 *    declined ↓  ↑ resume
 *                                                    upload_failed ├→ review (send again)
 *          cancelled                                          └→ completing → done
 *   any state → failed(reason) on an unrecoverable error
 */
import type { ImageFeedback } from '../session/feedback.js';
import type { ImageKind } from '../session/flows.js';

/** Kinds this version of the widget can capture; other requirements end in `unsupported`. */
export const CAPTURABLE_KINDS: readonly ImageKind[] = ['selfie'];

/** A captured picture, ready to show and upload (the blob never leaves the page except to the service). */
export interface CapturedImage {
  readonly kind: ImageKind;
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
  /** Fresh per capture: the upload's Idempotency-Key, so retries never store a picture twice. */
  readonly captureId: string;
  readonly metrics: Readonly<Record<string, string | number | boolean | null>>;
}

export type FailureReason =
  | 'link_used'
  | 'link_expired'
  | 'link_invalid'
  | 'session_closed'
  | 'already_complete'
  | 'network'
  | 'unsupported'
  | 'unknown';

export type FlowState =
  | { readonly step: 'starting' }
  | { readonly step: 'consent'; readonly missing: readonly ImageKind[] }
  /** The person declined consent ("Not now"): nothing is captured; they may come back to consent. */
  | { readonly step: 'cancelled'; readonly missing: readonly ImageKind[] }
  | {
      readonly step: 'capture';
      readonly kind: ImageKind;
      readonly missing: readonly ImageKind[];
      /** The service's reasons for refusing the previous picture of this kind. */
      readonly feedback: readonly ImageFeedback[];
    }
  | {
      readonly step: 'review';
      readonly image: CapturedImage;
      readonly missing: readonly ImageKind[];
      /** Set when an upload of this picture gave up on the network: the person may send it again. */
      readonly uploadFailed?: boolean;
    }
  | {
      readonly step: 'uploading';
      readonly image: CapturedImage;
      readonly missing: readonly ImageKind[];
      readonly progress: number;
      readonly retrying: boolean;
    }
  | { readonly step: 'completing' }
  | { readonly step: 'done'; readonly redirectUrl: string | null }
  | { readonly step: 'failed'; readonly reason: FailureReason };

export type FlowStep = FlowState['step'];

export type FlowEvent =
  | { readonly type: 'exchanged'; readonly missing: readonly ImageKind[]; readonly consentGiven: boolean }
  | { readonly type: 'consented' }
  | { readonly type: 'declined' }
  | { readonly type: 'resume' }
  | { readonly type: 'captured'; readonly image: CapturedImage }
  | { readonly type: 'retake' }
  | { readonly type: 'confirm' }
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'retrying' }
  | { readonly type: 'upload_failed' }
  | {
      readonly type: 'uploaded';
      readonly accepted: boolean;
      readonly feedback: readonly ImageFeedback[];
      readonly missing: readonly ImageKind[];
    }
  | { readonly type: 'completed'; readonly redirectUrl: string | null }
  | { readonly type: 'failed'; readonly reason: FailureReason };

export const INITIAL_STATE: FlowState = { step: 'starting' };

/** The next thing to capture, or the end of capture when nothing is missing. */
function nextCapture(missing: readonly ImageKind[], feedback: readonly ImageFeedback[] = []): FlowState {
  const kind = missing[0];
  if (kind === undefined) return { step: 'completing' };
  if (!CAPTURABLE_KINDS.includes(kind)) return { step: 'failed', reason: 'unsupported' };
  return { step: 'capture', kind, missing, feedback };
}

export function transition(state: FlowState, event: FlowEvent): FlowState {
  if (event.type === 'failed')
    return state.step === 'done' ? state : { step: 'failed', reason: event.reason };
  switch (state.step) {
    case 'starting':
      if (event.type !== 'exchanged') return state;
      if (event.missing.length === 0) return { step: 'completing' };
      return event.consentGiven ? nextCapture(event.missing) : { step: 'consent', missing: event.missing };
    case 'consent':
      if (event.type === 'declined') return { step: 'cancelled', missing: state.missing };
      return event.type === 'consented' ? nextCapture(state.missing) : state;
    case 'cancelled':
      return event.type === 'resume' ? { step: 'consent', missing: state.missing } : state;
    case 'capture':
      return event.type === 'captured' && event.image.kind === state.kind
        ? { step: 'review', image: event.image, missing: state.missing }
        : state;
    case 'review':
      if (event.type === 'retake') return nextCapture(state.missing);
      if (event.type === 'confirm')
        return {
          step: 'uploading',
          image: state.image,
          missing: state.missing,
          progress: 0,
          retrying: false,
        };
      return state;
    case 'uploading':
      if (event.type === 'progress') return { ...state, progress: Math.max(0, Math.min(1, event.fraction)) };
      if (event.type === 'retrying') return { ...state, progress: 0, retrying: true };
      if (event.type === 'upload_failed')
        return { step: 'review', image: state.image, missing: state.missing, uploadFailed: true };
      if (event.type !== 'uploaded') return state;
      // A refused picture is asked for again with the service's reasons; an accepted one moves on.
      return event.accepted ? nextCapture(event.missing) : nextCapture(state.missing, event.feedback);
    case 'completing':
      return event.type === 'completed' ? { step: 'done', redirectUrl: event.redirectUrl } : state;
    case 'done':
    case 'failed':
      return state;
  }
}

/** How the service's error codes read as a flow failure. */
export function failureFromCode(code: string): FailureReason {
  switch (code) {
    case 'client_token_used':
      return 'link_used';
    case 'client_token_expired':
    case 'upload_token_expired':
      return 'link_expired';
    case 'client_token_invalid':
    case 'upload_token_invalid':
      return 'link_invalid';
    case 'session_not_active':
      return 'session_closed';
    case 'images_complete':
      return 'already_complete';
    case 'network_error':
      return 'network';
    default:
      return 'unknown';
  }
}
