import type { FaceDetection, FaceLandmarks, Point2 } from './types.js';

/** Centre and size of a landmark set: the mean point and the RMS distance of the points from it. */
function centreAndSpread(landmarks: FaceLandmarks): { centre: Point2; spread: number } {
  const { points } = landmarks;
  let sumX = 0;
  let sumY = 0;
  for (const p of points) {
    sumX += p.x;
    sumY += p.y;
  }
  const centre = { x: sumX / points.length, y: sumY / points.length };
  let sumSquares = 0;
  for (const p of points) sumSquares += (p.x - centre.x) ** 2 + (p.y - centre.y) ** 2;
  return { centre, spread: Math.sqrt(sumSquares / points.length) };
}

/**
 * Carries a detection from the frame it was made on to a later frame, by the shift and scale of the
 * same face's landmarks between the two. Rotation is left out: the box is axis-aligned and the quality
 * rules read only its size and position, which a small head turn barely changes.
 */
export function followDetection(
  detection: FaceDetection,
  from: FaceLandmarks,
  to: FaceLandmarks,
): FaceDetection {
  const before = centreAndSpread(from);
  const after = centreAndSpread(to);
  const scale = before.spread > 0 ? after.spread / before.spread : 1;
  const move = (p: Point2): Point2 => ({
    x: after.centre.x + (p.x - before.centre.x) * scale,
    y: after.centre.y + (p.y - before.centre.y) * scale,
  });
  const { box } = detection;
  const topLeft = move({ x: box.x, y: box.y });
  return {
    score: detection.score,
    box: { x: topLeft.x, y: topLeft.y, width: box.width * scale, height: box.height * scale },
    keypoints: detection.keypoints.map(move),
  };
}
