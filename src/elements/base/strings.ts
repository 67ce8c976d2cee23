/**
 * Every sentence the person reads, through @lit/localize's `msg` so translations can be added without
 * touching the elements. Plain words, one action per instruction.
 */
import { msg } from '@lit/localize';
import type { FaceGuidance } from '../../core/face/rules.js';
import type { FailureReason } from '../../core/flow/capture-flow.js';
import type { ImageFeedbackCode } from '../../core/session/feedback.js';

export function guidanceText(code: FaceGuidance): string {
  switch (code) {
    case 'no_face':
      return msg('Put your face in the oval');
    case 'multiple_faces':
      return msg('Only one face, please');
    case 'move_closer':
      return msg('Move closer');
    case 'move_back':
      return msg('Move back a little');
    case 'center_face':
      return msg('Centre your face in the oval');
    case 'face_straight':
      return msg('Look straight at the camera');
    case 'eyes_closed':
      return msg('Keep your eyes open');
    case 'too_dark':
      return msg('Find more light');
    case 'too_bright':
      return msg('Too bright: move away from direct light');
    case 'hold_still':
      return msg('Hold still');
    case 'ok':
      return msg('Great, hold still…');
  }
}

export function feedbackText(code: ImageFeedbackCode): string {
  switch (code) {
    case 'too_dark':
      return msg('The photo was too dark. Find more light and try again.');
    case 'too_bright':
      return msg('The photo was too bright. Move away from direct light and try again.');
    case 'blurry':
      return msg('The photo was blurred. Hold the phone still and try again.');
    case 'resolution_too_low':
      return msg('The photo was too small. Try again with a better camera.');
    case 'face_not_confirmed':
      return msg('We could not see your face clearly. Try again, facing the camera.');
  }
}

export function failureText(reason: FailureReason): { title: string; text: string } {
  switch (reason) {
    case 'link_used':
      return {
        title: msg('This link was already used'),
        text: msg('For your security each link works once. Ask for a new verification link.'),
      };
    case 'link_expired':
      return {
        title: msg('This link has expired'),
        text: msg('Ask for a new verification link and start again.'),
      };
    case 'link_invalid':
      return {
        title: msg('This link is not valid'),
        text: msg('Check that you opened the whole link, or ask for a new one.'),
      };
    case 'session_closed':
      return { title: msg('This verification is closed'), text: msg('Ask for a new verification link.') };
    case 'already_complete':
      return { title: msg('Already done'), text: msg('This verification already has everything it needs.') };
    case 'network':
      return {
        title: msg('No connection'),
        text: msg('We could not reach the verification service. Check your connection and try again.'),
      };
    case 'unsupported':
      return {
        title: msg('Not available here yet'),
        text: msg(
          'This verification needs a step this page cannot do yet. Contact the service that sent you.',
        ),
      };
    case 'unknown':
      return { title: msg('Something went wrong'), text: msg('Please try again in a moment.') };
  }
}

/** How to let the camera back in, in the words of the browser the person is using. */
export function reallowCameraText(userAgent: string): string {
  if (/iPhone|iPad/.test(userAgent))
    return msg('Open Settings › Safari › Camera, choose "Allow", then come back and tap "Try again".');
  if (/Firefox\//.test(userAgent))
    return msg('Click the camera icon in the address bar, remove the block, then tap "Try again".');
  if (/Android/.test(userAgent))
    return msg(
      'Tap the lock icon next to the address, open Permissions, allow Camera, then tap "Try again".',
    );
  return msg(
    'Click the camera or lock icon in the address bar, allow the camera for this site, then "Try again".',
  );
}
