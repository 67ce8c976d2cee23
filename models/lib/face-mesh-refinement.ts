/**
 * How the attention face-mesh model's six landmark outputs combine into the 478-point layout that
 * tasks-vision's FaceLandmarker reads. Facts taken from MediaPipe's public refinement description
 * (mediapipe/modules/face_landmark/tensors_to_face_landmarks_with_attention.pbtxt):
 *
 * - the mesh output gives points 0–467 as (x, y, z);
 * - the lips, left-eye and right-eye outputs give (x, y) only and overwrite x and y of the mesh points
 *   listed below, in that order (z stays the mesh's);
 * - the two iris outputs give (x, y) of 5 points each (centre, then four edge points), which become
 *   points 468–472 (left) and 473–477 (right); their z is the mean z of the 16 contour points of the
 *   same eye (the first 16 entries of that eye's list: lower contour, then upper contour).
 */

export const MESH_POINTS = 468;
export const REFINED_POINTS = 478;
export const IRIS_POINTS = 5;
/** Contour points of each eye whose mean z becomes the z of its five iris points. */
export const IRIS_Z_CONTOUR_POINTS = 16;

/** Mesh index for each of the 80 lip points, in the order of the lips output. */
export const LIPS_TO_MESH: readonly number[] = [
  // outer lower lip, corner to corner
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291,
  // outer upper lip, without the corners
  185, 40, 39, 37, 0, 267, 269, 270, 409,
  // inner lower lip
  78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308,
  // inner upper lip, without the corners
  191, 80, 81, 82, 13, 312, 311, 310, 415,
  // between outer and middle, lower
  76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306,
  // between outer and middle, upper
  184, 74, 73, 72, 11, 302, 303, 304, 408,
  // between middle and inner, lower
  62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292,
  // between middle and inner, upper
  183, 42, 41, 38, 12, 268, 271, 272, 407,
];

/**
 * Mesh index for each of the 71 points of the left-eye output. MediaPipe's "left" is the left of the
 * image: the subject's right eye.
 */
export const LEFT_EYE_TO_MESH: readonly number[] = [
  // eye contour: lower (with both corners), then upper
  33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173,
  // second ring: lower, upper
  130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190,
  // third ring: lower, upper
  226, 31, 228, 229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189,
  // fourth ring, upper only (inner eyebrow contour)
  35, 124, 46, 53, 52, 65,
  // fifth ring: lower, then upper (outer eyebrow contour)
  143, 111, 117, 118, 119, 120, 121, 128, 245, 156, 70, 63, 105, 66, 107, 55, 193,
];

/** Mesh index for each of the 71 points of the right-eye output. */
export const RIGHT_EYE_TO_MESH: readonly number[] = [
  263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398, 359, 255, 339, 254, 253,
  252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414, 446, 261, 448, 449, 450, 451, 452, 453, 464, 342,
  445, 444, 443, 442, 441, 413, 265, 353, 276, 283, 282, 295, 372, 340, 346, 347, 348, 349, 350, 357, 465,
  383, 300, 293, 334, 296, 336, 285, 417,
];

/** First refined index of each iris (centre first, then right, top, left and bottom edge). */
export const LEFT_IRIS_FIRST = 468;
export const RIGHT_IRIS_FIRST = 473;

/** The contour points of each eye whose mean z is the iris z. */
export const LEFT_IRIS_Z_FROM: readonly number[] = LEFT_EYE_TO_MESH.slice(0, IRIS_Z_CONTOUR_POINTS);
export const RIGHT_IRIS_Z_FROM: readonly number[] = RIGHT_EYE_TO_MESH.slice(0, IRIS_Z_CONTOUR_POINTS);

/** Where each part lies in one flat vector made by concatenating the model's outputs. */
export interface ConcatLayout {
  /** 468 × (x, y, z) */
  readonly mesh: number;
  /** 80 × (x, y) */
  readonly lips: number;
  /** 71 × (x, y) */
  readonly leftEye: number;
  readonly rightEye: number;
  /** 5 × (x, y) */
  readonly leftIris: number;
  readonly rightIris: number;
  /** z of the left iris, then of the right iris */
  readonly irisZ: number;
  readonly length: number;
}

export function concatLayout(): ConcatLayout {
  const mesh = 0;
  const lips = mesh + MESH_POINTS * 3;
  const leftEye = lips + LIPS_TO_MESH.length * 2;
  const rightEye = leftEye + LEFT_EYE_TO_MESH.length * 2;
  const leftIris = rightEye + RIGHT_EYE_TO_MESH.length * 2;
  const rightIris = leftIris + IRIS_POINTS * 2;
  const irisZ = rightIris + IRIS_POINTS * 2;
  return { mesh, lips, leftEye, rightEye, leftIris, rightIris, irisZ, length: irisZ + 2 };
}

/**
 * For each of the 478 × 3 refined values, its position in the concatenated vector: the gather
 * indices that turn the concatenation into tasks-vision's landmark tensor (x, y, z per point).
 */
export function refinedGatherIndices(layout: ConcatLayout = concatLayout()): Int32Array {
  const indices = new Int32Array(REFINED_POINTS * 3);
  for (let point = 0; point < MESH_POINTS; point += 1) {
    for (let c = 0; c < 3; c += 1) indices[point * 3 + c] = layout.mesh + point * 3 + c;
  }
  const overwriteXY = (map: readonly number[], start: number): void => {
    map.forEach((meshPoint, k) => {
      indices[meshPoint * 3] = start + k * 2;
      indices[meshPoint * 3 + 1] = start + k * 2 + 1;
    });
  };
  overwriteXY(LIPS_TO_MESH, layout.lips);
  overwriteXY(LEFT_EYE_TO_MESH, layout.leftEye);
  overwriteXY(RIGHT_EYE_TO_MESH, layout.rightEye);
  const iris = (first: number, start: number, z: number): void => {
    for (let k = 0; k < IRIS_POINTS; k += 1) {
      indices[(first + k) * 3] = start + k * 2;
      indices[(first + k) * 3 + 1] = start + k * 2 + 1;
      indices[(first + k) * 3 + 2] = z;
    }
  };
  iris(LEFT_IRIS_FIRST, layout.leftIris, layout.irisZ);
  iris(RIGHT_IRIS_FIRST, layout.rightIris, layout.irisZ + 1);
  return indices;
}

/**
 * Weights [2, 1404] of a fully connected layer over the mesh output (x, y, z per point) whose two
 * outputs are the mean z of the left and of the right eye contour.
 */
export function irisZWeights(): Float32Array {
  const weights = new Float32Array(2 * MESH_POINTS * 3);
  const rows: ReadonlyArray<readonly number[]> = [LEFT_IRIS_Z_FROM, RIGHT_IRIS_Z_FROM];
  rows.forEach((points, row) => {
    for (const point of points) weights[row * MESH_POINTS * 3 + point * 3 + 2] = 1 / points.length;
  });
  return weights;
}

/**
 * The same refinement computed in plain TypeScript from the six raw outputs: the reference the
 * rewritten graph is tested against.
 */
export function refineLandmarks(raw: {
  mesh: ArrayLike<number>;
  lips: ArrayLike<number>;
  leftEye: ArrayLike<number>;
  rightEye: ArrayLike<number>;
  leftIris: ArrayLike<number>;
  rightIris: ArrayLike<number>;
}): Float32Array {
  const out = new Float32Array(REFINED_POINTS * 3);
  for (let i = 0; i < MESH_POINTS * 3; i += 1) out[i] = raw.mesh[i] ?? 0;
  const overwrite = (map: readonly number[], xy: ArrayLike<number>): void => {
    map.forEach((meshPoint, k) => {
      out[meshPoint * 3] = xy[k * 2] ?? 0;
      out[meshPoint * 3 + 1] = xy[k * 2 + 1] ?? 0;
    });
  };
  overwrite(LIPS_TO_MESH, raw.lips);
  overwrite(LEFT_EYE_TO_MESH, raw.leftEye);
  overwrite(RIGHT_EYE_TO_MESH, raw.rightEye);
  const meanZ = (points: readonly number[]): number =>
    points.reduce((sum, point) => sum + (out[point * 3 + 2] ?? 0), 0) / points.length;
  const iris = (first: number, xy: ArrayLike<number>, z: number): void => {
    for (let k = 0; k < IRIS_POINTS; k += 1) {
      out[(first + k) * 3] = xy[k * 2] ?? 0;
      out[(first + k) * 3 + 1] = xy[k * 2 + 1] ?? 0;
      out[(first + k) * 3 + 2] = z;
    }
  };
  iris(LEFT_IRIS_FIRST, raw.leftIris, meanZ(LEFT_IRIS_Z_FROM));
  iris(RIGHT_IRIS_FIRST, raw.rightIris, meanZ(RIGHT_IRIS_Z_FROM));
  return out;
}
