import type { FaceVision } from './create-face-vision.js';

/**
 * Lets the face vision layer start loading the moment the person gives consent, while consent is
 * still being recorded and the camera prompt opens, instead of after both. The vision code is still
 * only imported (and the wasm and models fetched) once the selfie step is on its way.
 */
let started: Promise<FaceVision> | undefined;

export function startFaceVision(): Promise<FaceVision> {
  if (started) return started;
  const attempt = import('./create-face-vision.js').then(({ createFaceVision }) => {
    const vision = createFaceVision();
    // Failures surface again, and are handled, where the owner awaits load().
    vision.analyzer.load().catch(() => undefined);
    return vision;
  });
  // A failed import is not kept (the next start tries again), unless it was handed on already.
  attempt.catch(() => {
    if (started === attempt) started = undefined;
  });
  started = attempt;
  return attempt;
}

/** Hands the started (or a newly started) vision layer to its owner, who disposes of it. */
export function takeFaceVision(): Promise<FaceVision> {
  const vision = startFaceVision();
  started = undefined;
  return vision;
}
