import { TFLITE_METADATA } from './lib/attach-metadata.js';
import type { EmbeddingBuilder } from './lib/embedding-builder.js';
import {
  concatLayout,
  irisZWeights,
  MESH_POINTS,
  REFINED_POINTS,
  refinedGatherIndices,
} from './lib/face-mesh-refinement.js';
import { storedZip } from './lib/stored-zip.js';
import { buildImageModelMetadata } from './lib/tflite-metadata.js';
import {
  BuiltinOperator,
  BuiltinOptionsType,
  littleEndianBytes,
  TfliteGraphEditor,
} from './lib/tflite-graph.js';
import { metadataNames, TensorType } from './lib/tflite-model.js';

/** Names of the attention model's outputs, in the order MediaPipe's refinement graph reads them. */
export const ATTENTION_OUTPUTS = {
  mesh: 'output_mesh_identity',
  lips: 'output_lips',
  leftEye: 'output_left_eye',
  rightEye: 'output_right_eye',
  leftIris: 'output_left_iris',
  rightIris: 'output_right_iris',
  faceFlag: 'conv_faceflag',
} as const;

/** Names of the tensors the derived landmark model adds; output 0 and output 1 of the new graph. */
export const LANDMARKER_OUTPUTS = {
  landmarks: 'refined_landmarks_478',
  presence: ATTENTION_OUTPUTS.faceFlag,
} as const;

const PREFIX = 'idv_refine/';
const LANDMARK_INPUT_SIZE = 192;

/** Op versions used for the added operators: the first version of each, which every runtime has. */
const OP_VERSION = 1;

function concatenationOptions(axis: number) {
  return {
    type: BuiltinOptionsType.ConcatenationOptions,
    build: (b: EmbeddingBuilder) => b.table([{ id: 0, i32: axis }]), // axis; activation NONE
  };
}

/**
 * The attention face-mesh model (`face_landmark_with_attention.tflite` from @mediapipe/face_mesh)
 * rewritten for tasks-vision's FaceLandmarker, which reads output 0 as 478 × (x, y, z) landmarks and
 * output 1 as the face-presence logit. The legacy graph has seven outputs (mesh, lips, both eyes,
 * both irises, face flag) that MediaPipe's old solution graph merged outside the model. The rewrite
 * does that merge inside the graph with builtin operators only:
 *
 *   FULLY_CONNECTED  mesh [1,1,1,1404] → [1,2]: mean z of each eye's 16 contour points (iris z)
 *   RESHAPE          [1,2] → [1,1,1,2]
 *   CONCATENATION    mesh, lips, left eye, right eye, left iris, right iris, iris z → [1,1,1,1870]
 *   GATHER (axis 3)  with a constant int32 index map → [1,1,1,1434]
 *
 * and attaches TFLite metadata for the image input (192×192 RGB, input 0…1: mean 0, std 255). The
 * original operators, tensors and weights are kept byte for byte.
 */
export function deriveFaceLandmarksDetector(attentionModel: Uint8Array): Uint8Array {
  const graph = new TfliteGraphEditor(attentionModel);
  if (metadataNames(graph.layout).includes(TFLITE_METADATA)) {
    throw new Error('the landmark model already carries TFLITE_METADATA');
  }
  const [input] = graph.inputs();
  const inputShape = input === undefined ? [] : graph.tensorShape(input);
  if (inputShape.join() !== `1,${LANDMARK_INPUT_SIZE},${LANDMARK_INPUT_SIZE},3`) {
    throw new Error(`unexpected landmark model input [${inputShape.join()}]`);
  }

  const layout = concatLayout();
  const parts = [
    { name: ATTENTION_OUTPUTS.mesh, size: layout.lips - layout.mesh },
    { name: ATTENTION_OUTPUTS.lips, size: layout.leftEye - layout.lips },
    { name: ATTENTION_OUTPUTS.leftEye, size: layout.rightEye - layout.leftEye },
    { name: ATTENTION_OUTPUTS.rightEye, size: layout.leftIris - layout.rightEye },
    { name: ATTENTION_OUTPUTS.leftIris, size: layout.rightIris - layout.leftIris },
    { name: ATTENTION_OUTPUTS.rightIris, size: layout.irisZ - layout.rightIris },
  ].map(({ name, size }) => {
    const index = graph.tensorIndex(name);
    const shape = graph.tensorShape(index);
    if (shape.join() !== `1,1,1,${size}` || graph.tensorType(index) !== TensorType.FLOAT32) {
      throw new Error(`${name}: expected float32 [1,1,1,${size}], found [${shape.join()}]`);
    }
    if (!graph.currentOutputs().includes(index)) throw new Error(`${name} is not a model output`);
    return index;
  });
  const faceFlag = graph.tensorIndex(ATTENTION_OUTPUTS.faceFlag);
  if (graph.tensorShape(faceFlag).join() !== '1,1,1,1') throw new Error('unexpected face flag shape');
  const [mesh] = parts;
  if (mesh === undefined) throw new Error('no mesh output');

  // Iris z: a fully connected layer over the mesh output whose weights average the contour z values.
  const weights = graph.addTensor(
    `${PREFIX}iris_z_weights`,
    TensorType.FLOAT32,
    [2, MESH_POINTS * 3],
    littleEndianBytes(irisZWeights()),
  );
  const bias = graph.addTensor(
    `${PREFIX}iris_z_bias`,
    TensorType.FLOAT32,
    [2],
    littleEndianBytes(new Float32Array(2)),
  );
  const irisZ = graph.addTensor(`${PREFIX}iris_z`, TensorType.FLOAT32, [1, 2]);
  graph.addOperator(BuiltinOperator.FULLY_CONNECTED, OP_VERSION, [mesh, weights, bias], [irisZ], {
    type: BuiltinOptionsType.FullyConnectedOptions,
    build: (b) => b.table([]), // activation NONE, default weights format, keep_num_dims false
  });

  const irisZShape = [1, 1, 1, 2];
  const irisZShapeTensor = graph.addTensor(
    `${PREFIX}iris_z_shape`,
    TensorType.INT32,
    [4],
    littleEndianBytes(Int32Array.from(irisZShape)),
  );
  const irisZ4d = graph.addTensor(`${PREFIX}iris_z_4d`, TensorType.FLOAT32, irisZShape);
  graph.addOperator(BuiltinOperator.RESHAPE, OP_VERSION, [irisZ, irisZShapeTensor], [irisZ4d], {
    type: BuiltinOptionsType.ReshapeOptions,
    build: (b) => {
      const newShape = b.i32Vector(irisZShape);
      return b.table([{ id: 0, offset: newShape }]);
    },
  });

  const concat = graph.addTensor(`${PREFIX}concat`, TensorType.FLOAT32, [1, 1, 1, layout.length]);
  graph.addOperator(
    BuiltinOperator.CONCATENATION,
    OP_VERSION,
    [...parts, irisZ4d],
    [concat],
    concatenationOptions(3),
  );

  const gatherIndices = refinedGatherIndices(layout);
  const indexTensor = graph.addTensor(
    `${PREFIX}gather_indices`,
    TensorType.INT32,
    [gatherIndices.length],
    littleEndianBytes(gatherIndices),
  );
  const landmarks = graph.addTensor(LANDMARKER_OUTPUTS.landmarks, TensorType.FLOAT32, [
    1,
    1,
    1,
    REFINED_POINTS * 3,
  ]);
  graph.addOperator(BuiltinOperator.GATHER, OP_VERSION, [concat, indexTensor], [landmarks], {
    type: BuiltinOptionsType.GatherOptions,
    build: (b) => b.table([{ id: 0, i32: 3 }]), // axis 3, batch_dims 0
  });

  graph.setOutputs([landmarks, faceFlag]);
  graph.addMetadata(
    TFLITE_METADATA,
    buildImageModelMetadata({
      modelName: 'face_landmarks_detector',
      description:
        'MediaPipe attention face mesh (192x192) with lips, eyes and irises merged into 478 landmarks ' +
        'inside the graph, and TFLite metadata, by idv-capture.',
      version: '1',
      author: 'MediaPipe authors (Google); graph output merge and metadata added by idv-capture',
      license: 'Apache-2.0',
      input: {
        name: 'image',
        description: 'RGB face crop, 192x192, normalised to [0, 1].',
        width: LANDMARK_INPUT_SIZE,
        height: LANDMARK_INPUT_SIZE,
        mean: [0],
        std: [255],
        min: [0],
        max: [1],
      },
    }),
  );
  return graph.build();
}

/** The file names tasks-vision's FaceLandmarker looks up inside a `.task` bundle. */
export const FACE_LANDMARKER_BUNDLE = {
  detector: 'face_detector.tflite',
  landmarks: 'face_landmarks_detector.tflite',
  geometry: 'geometry_pipeline_metadata_landmarks.binarypb',
} as const;

/** The `.task` bundle: a ZIP of stored entries, fixed order and timestamps. */
export function packageFaceLandmarker(files: {
  detector: Uint8Array;
  landmarks: Uint8Array;
  geometry: Uint8Array;
}): Uint8Array {
  return storedZip([
    { name: FACE_LANDMARKER_BUNDLE.detector, data: files.detector },
    { name: FACE_LANDMARKER_BUNDLE.landmarks, data: files.landmarks },
    { name: FACE_LANDMARKER_BUNDLE.geometry, data: files.geometry },
  ]);
}
