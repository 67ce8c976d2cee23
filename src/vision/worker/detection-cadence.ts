import { followDetection } from '../../core/face/follow-detection.js';
import type { FaceDetection, FaceLandmarks } from '../../core/face/types.js';

/**
 * While one face is tracked by the landmarker, the detector runs on every `detectEvery`-th frame only,
 * as MediaPipe's own face mesh does: the landmarks follow the face in between, and the last detection
 * is carried along with them. The detector is what counts faces, so a second face that comes into view
 * is seen within `detectEvery` frames (100 ms at 30 fps with 3); a lost track sends the very next frame
 * back to the detector.
 */
export class DetectionCadence {
  private anchor: { readonly detection: FaceDetection; readonly landmarks: FaceLandmarks } | null = null;
  private framesSinceDetection = 0;

  constructor(private readonly detectEvery: number) {}

  /** True when this frame may skip the detector, if the landmarker still finds the face. */
  mayFollow(): boolean {
    return this.anchor !== null && this.framesSinceDetection < this.detectEvery - 1;
  }

  /** The carried faces for this frame's landmarks, or null (and the track dropped) when there are none. */
  follow(landmarks: FaceLandmarks | null): FaceDetection[] | null {
    if (!this.anchor || !landmarks) {
      this.anchor = null;
      return null;
    }
    this.framesSinceDetection += 1;
    return [followDetection(this.anchor.detection, this.anchor.landmarks, landmarks)];
  }

  /** After a detector run: tracking starts from it only when there is exactly one face with landmarks. */
  detected(faces: readonly FaceDetection[], landmarks: FaceLandmarks | null): void {
    const [only] = faces;
    this.anchor = faces.length === 1 && only && landmarks ? { detection: only, landmarks } : null;
    this.framesSinceDetection = 0;
  }

  reset(): void {
    this.anchor = null;
    this.framesSinceDetection = 0;
  }
}
