/**
 * The public events of the capture elements. They bubble and cross shadow roots; none ever carries a
 * token or a picture's bytes.
 */
import type { FailureReason, FlowStep } from '../../core/flow/capture-flow.js';
import type { ImageKind } from '../../core/session/flows.js';

export interface IdvEventDetails {
  'idv-ready': { sessionId: string; missingImages: ImageKind[] };
  'idv-step': { step: FlowStep; kind?: ImageKind };
  'idv-capture': { kind: ImageKind; width: number; height: number; bytes: number; automatic: boolean };
  'idv-upload-progress': { kind: ImageKind; fraction: number; retrying: boolean };
  'idv-complete': { sessionId: string; redirectUrl: string | null };
  'idv-error': { reason: FailureReason | 'camera_denied' | 'camera_unavailable' | 'camera_error' };
  'idv-cancel': { sessionId: string };
}

export type IdvEventName = keyof IdvEventDetails;

declare global {
  interface GlobalEventHandlersEventMap {
    'idv-ready': CustomEvent<IdvEventDetails['idv-ready']>;
    'idv-step': CustomEvent<IdvEventDetails['idv-step']>;
    'idv-capture': CustomEvent<IdvEventDetails['idv-capture']>;
    'idv-upload-progress': CustomEvent<IdvEventDetails['idv-upload-progress']>;
    'idv-complete': CustomEvent<IdvEventDetails['idv-complete']>;
    'idv-error': CustomEvent<IdvEventDetails['idv-error']>;
    'idv-cancel': CustomEvent<IdvEventDetails['idv-cancel']>;
  }
}
