/**
 * The shipped models are rebuilt in-process from the pinned npm packages: the build must be
 * deterministic (hashes equal to models/manifest.json) and the rewritten landmark model must have the
 * structure tasks-vision's FaceLandmarker reads. Browser checks of the same files are in
 * e2e/face-detector.spec.ts and e2e/face-landmarks.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAllModels, type DerivedModel } from './derive.js';
import { ATTENTION_OUTPUTS, FACE_LANDMARKER_BUNDLE, LANDMARKER_OUTPUTS } from './face-landmarker.js';
import { TFLITE_METADATA } from './lib/attach-metadata.js';
import {
  concatLayout,
  irisZWeights,
  LEFT_EYE_TO_MESH,
  LIPS_TO_MESH,
  MESH_POINTS,
  refinedGatherIndices,
  refineLandmarks,
  RIGHT_EYE_TO_MESH,
} from './lib/face-mesh-refinement.js';
import { FlatBufferView } from './lib/flatbuffer-view.js';
import { readPackedAssets } from './lib/packed-assets.js';
import { packageInfo } from './lib/package-source.js';
import { readStoredZip, ZIP_DATA_ALIGNMENT } from './lib/stored-zip.js';
import { BuiltinOperator, effectiveBuiltinCode } from './lib/tflite-graph.js';
import {
  BufferField,
  MetadataField,
  OperatorCodeField,
  OperatorField,
  readTfliteModel,
  SubGraphField,
  TensorField,
  TensorType,
  type TfliteModelLayout,
} from './lib/tflite-model.js';
import { compareTrainedFiles, compareWithManifest, type Manifest } from './manifest.js';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, 'manifest.json'), 'utf8')) as Manifest;

let models: DerivedModel[];
beforeAll(() => {
  models = deriveAllModels();
});

function model(output: string): DerivedModel {
  const found = models.find((candidate) => candidate.output === output);
  if (!found) throw new Error(`${output} was not built`);
  return found;
}

/** A small graph reader over the positions TfliteModelLayout gives. */
function graphOf(bytes: Uint8Array) {
  const layout = readTfliteModel(bytes);
  const { view } = layout;
  const subgraph = layout.subgraphs[0]!;
  const tensors = view.tableVector(subgraph, SubGraphField.tensors);
  const operators = view.tableVector(subgraph, SubGraphField.operators);
  const tensor = (index: number) => {
    const table = tensors[index]!;
    return {
      name: view.string(table, TensorField.name),
      shape: view.intVector(table, TensorField.shape),
      type: view.scalarI8(table, TensorField.type),
      data: view.byteVector(layout.buffers[view.scalarU32(table, TensorField.buffer)]!, BufferField.data),
    };
  };
  const operator = (table: number) => {
    const code = layout.operatorCodes[view.scalarU32(table, OperatorField.opcodeIndex)]!;
    return {
      builtin: effectiveBuiltinCode(layout, code),
      version: view.scalarI32(code, OperatorCodeField.version, 1),
      inputs: view.intVector(table, OperatorField.inputs),
      outputs: view.intVector(table, OperatorField.outputs),
      optionsType: view.scalarU8(table, OperatorField.builtinOptionsType),
      options: view.ref(table, OperatorField.builtinOptions),
    };
  };
  return {
    layout,
    view,
    tensors,
    operators,
    tensor,
    operator,
    inputs: view.intVector(subgraph, SubGraphField.inputs),
    outputs: view.intVector(subgraph, SubGraphField.outputs),
  };
}

function floats(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.slice().buffer);
}
function ints(bytes: Uint8Array): Int32Array {
  return new Int32Array(bytes.slice().buffer);
}

/** The ModelMetadata input normalisation stored under TFLITE_METADATA (metadata_schema.fbs ids). */
function inputNormalization(layout: TfliteModelLayout) {
  const { view } = layout;
  const entry = layout.metadata.find((pos) => view.string(pos, MetadataField.name) === TFLITE_METADATA);
  if (entry === undefined) return undefined;
  const buffer = layout.buffers[view.scalarU32(entry, MetadataField.buffer)]!;
  const meta = new FlatBufferView(view.byteVector(buffer, BufferField.data).slice());
  const root = meta.root();
  const subgraph = meta.tableVector(root, 3)[0]!;
  const input = meta.tableVector(subgraph, 2)[0]!;
  const content = meta.ref(input, 3)!;
  const image = meta.ref(content, 1)!;
  const size = meta.ref(image, 1)!;
  const unit = meta.tableVector(input, 4)[0]!;
  const normalization = meta.ref(unit, 1)!;
  const vector = (table: number, id: number) => {
    const at = meta.ref(table, id)!;
    return Array.from({ length: meta.vectorLength(at) }, (_, i) => meta.f32(at + 4 + i * 4));
  };
  return {
    identifier: meta.identifier(),
    colorSpace: meta.scalarI8(image, 0),
    width: meta.scalarU32(size, 0),
    height: meta.scalarU32(size, 1),
    unitType: meta.scalarU8(unit, 0),
    mean: vector(normalization, 0),
    std: vector(normalization, 1),
  };
}

describe('derived models', () => {
  it('rebuild to the hashes recorded in models/manifest.json', () => {
    expect(compareWithManifest(manifest, models)).toEqual([]);
    for (const entry of manifest.models) expect(model(entry.output).manifest).toEqual(entry);
  });

  it('are byte-identical when built twice', () => {
    const again = deriveAllModels();
    expect(again.map((m) => m.manifest.sha256)).toEqual(models.map((m) => m.manifest.sha256));
  });
});

describe('trained models', () => {
  const root = join(import.meta.dirname, '..');

  it('match the hashes recorded when they were exported', () => {
    expect(manifest.trained?.map((entry) => entry.output)).toEqual(['document-detector.onnx']);
    expect(compareTrainedFiles(manifest, root)).toEqual([]);
  });

  it('are reported when the file differs from its entry or is gone', () => {
    const [entry] = manifest.trained ?? [];
    const altered: Manifest = {
      ...manifest,
      trained: [
        { ...entry!, sha256: '0'.repeat(64) },
        { ...entry!, path: 'models/document/absent.onnx' },
      ],
    };
    const problems = compareTrainedFiles(altered, root);
    expect(problems[0]).toMatch(/manifest says 0{64}/);
    expect(problems[1]).toMatch(/absent\.onnx: missing/);
  });
});

describe('face_landmarker.task', () => {
  const bundle = () => readStoredZip(model('face_landmarker.task').bytes);
  const landmarkModel = () => bundle().find((e) => e.name === FACE_LANDMARKER_BUNDLE.landmarks)!.data;

  it('is a ZIP of stored, aligned entries in a fixed order with a fixed timestamp', () => {
    const entries = bundle();
    expect(entries.map((e) => e.name)).toEqual([
      FACE_LANDMARKER_BUNDLE.detector,
      FACE_LANDMARKER_BUNDLE.landmarks,
      FACE_LANDMARKER_BUNDLE.geometry,
    ]);
    for (const entry of entries) {
      expect(entry.method, entry.name).toBe(0);
      expect(entry.dataOffset % ZIP_DATA_ALIGNMENT, entry.name).toBe(0);
      expect(entry.dosTime, entry.name).toBe(0x00210000); // 1980-01-01 00:00:00
    }
  });

  it('holds the derived detector and the package geometry metadata unchanged', () => {
    const entries = bundle();
    const detector = entries.find((e) => e.name === FACE_LANDMARKER_BUNDLE.detector)!;
    expect(Buffer.from(detector.data).equals(model('face_detection_short_range.tflite').bytes)).toBe(true);
    const packed = readPackedAssets(
      packageInfo('@mediapipe/face_mesh'),
      'face_mesh_solution_packed_assets.data',
      'face_mesh_solution_packed_assets_loader.js',
    );
    const geometry = entries.find((e) => e.name === FACE_LANDMARKER_BUNDLE.geometry)!;
    expect(Buffer.from(geometry.data).equals(packed.file(FACE_LANDMARKER_BUNDLE.geometry))).toBe(true);
  });

  it('landmark model: input 192x192x3, output 0 is 1434 landmark values, output 1 the presence logit', () => {
    const g = graphOf(landmarkModel());
    expect(g.inputs.map((i) => g.tensor(i).shape)).toEqual([[1, 192, 192, 3]]);
    expect(g.outputs.map((i) => g.tensor(i).name)).toEqual([
      LANDMARKER_OUTPUTS.landmarks,
      LANDMARKER_OUTPUTS.presence,
    ]);
    expect(g.outputs.map((i) => g.tensor(i).shape)).toEqual([
      [1, 1, 1, 478 * 3],
      [1, 1, 1, 1],
    ]);
  });

  it('landmark model: metadata says RGB 192x192, mean 0, std 255', () => {
    const meta = inputNormalization(readTfliteModel(landmarkModel()));
    expect(meta).toEqual({
      identifier: 'M001',
      colorSpace: 1,
      width: 192,
      height: 192,
      unitType: 1,
      mean: [0],
      std: [255],
    });
  });

  it('landmark model: keeps every original tensor and operator, then appends four builtin v1 ops', () => {
    const packed = readPackedAssets(
      packageInfo('@mediapipe/face_mesh'),
      'face_mesh_solution_packed_assets.data',
      'face_mesh_solution_packed_assets_loader.js',
    );
    const original = graphOf(packed.file('face_landmark_with_attention.tflite'));
    const derived = graphOf(landmarkModel());
    expect(derived.operators).toHaveLength(original.operators.length + 4);
    original.tensors.forEach((_, i) => expect(derived.tensor(i).name).toBe(original.tensor(i).name));
    original.operators.forEach((table, i) => {
      const before = original.operator(table);
      const after = derived.operator(derived.operators[i]!);
      expect([after.builtin, after.version, after.inputs, after.outputs]).toEqual([
        before.builtin,
        before.version,
        before.inputs,
        before.outputs,
      ]);
    });
    const added = derived.operators.slice(original.operators.length).map((t) => derived.operator(t));
    expect(added.map((op) => [op.builtin, op.version])).toEqual([
      [BuiltinOperator.FULLY_CONNECTED, 1],
      [BuiltinOperator.RESHAPE, 1],
      [BuiltinOperator.CONCATENATION, 1],
      [BuiltinOperator.GATHER, 1],
    ]);
    // The concatenation reads the six landmark outputs of the original model, in MediaPipe's order.
    const concat = added[2]!;
    expect(concat.inputs.slice(0, 6).map((i) => derived.tensor(i).name)).toEqual([
      ATTENTION_OUTPUTS.mesh,
      ATTENTION_OUTPUTS.lips,
      ATTENTION_OUTPUTS.leftEye,
      ATTENTION_OUTPUTS.rightEye,
      ATTENTION_OUTPUTS.leftIris,
      ATTENTION_OUTPUTS.rightIris,
    ]);
    // GATHER on axis 3 (GatherOptions.axis, field 0); CONCATENATION on axis 3.
    expect(derived.view.scalarI32(added[3]!.options!, 0)).toBe(3);
    expect(derived.view.scalarI32(concat.options!, 0)).toBe(3);
  });

  it('landmark model: the appended ops, run on random outputs from their stored constants, give MediaPipe’s refinement', () => {
    const g = graphOf(landmarkModel());
    const added = g.operators.slice(-4).map((t) => g.operator(t));
    const [fc, reshape, concat, gather] = added as [
      (typeof added)[0],
      (typeof added)[0],
      (typeof added)[0],
      (typeof added)[0],
    ];
    const weights = floats(g.tensor(fc.inputs[1]!).data);
    const bias = floats(g.tensor(fc.inputs[2]!).data);
    expect(Array.from(ints(g.tensor(reshape.inputs[1]!).data))).toEqual([1, 1, 1, 2]);
    const indices = ints(g.tensor(gather.inputs[1]!).data);
    expect(concat.inputs[6]).toBe(reshape.outputs[0]);
    expect(reshape.inputs[0]).toBe(fc.outputs[0]);
    expect(fc.inputs[0]).toBe(concat.inputs[0]);

    let seed = 7;
    const random = (n: number) =>
      Float32Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return (seed / 2147483648) * 192 - 20;
      });
    const raw = {
      mesh: random(1404),
      lips: random(160),
      leftEye: random(142),
      rightEye: random(142),
      leftIris: random(10),
      rightIris: random(10),
    };
    const irisZ = [0, 1].map(
      (row) => raw.mesh.reduce((sum, v, k) => sum + v * weights[row * 1404 + k]!, 0) + bias[row]!,
    );
    const vector = [
      ...raw.mesh,
      ...raw.lips,
      ...raw.leftEye,
      ...raw.rightEye,
      ...raw.leftIris,
      ...raw.rightIris,
      ...irisZ,
    ];
    expect(vector).toHaveLength(concatLayout().length);
    const output = Array.from(indices, (i) => vector[i]!);
    const reference = refineLandmarks(raw);
    output.forEach((value, i) => expect(value, `value ${i}`).toBeCloseTo(reference[i]!, 3));
  });
});

/** Decodes IEEE 754 half-precision values (little-endian). */
function halfFloats(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.length / 2 }, (_, i) => {
    const h = view.getUint16(i * 2, true);
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24;
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  });
}

/**
 * Weight precision. MediaPipe's source files already store every weight as float16 behind a
 * DEQUANTIZE op (version 2, FLOAT16 → FLOAT32), which tasks-vision 1.1.0 runs (the browser specs
 * load these files) and XNNPACK folds into float32 weights at load time. A float16 conversion step
 * would find nothing to convert: these checks pin that, and the graph's operator order, so that a
 * future change (another source model, a float32 constant of our own that grows) shows up here.
 */
describe('weight precision and operator order', () => {
  const WEIGHT_INPUTS: Record<number, readonly number[]> = {
    [BuiltinOperator.CONV_2D]: [1, 2],
    [BuiltinOperator.DEPTHWISE_CONV_2D]: [1, 2],
    [BuiltinOperator.FULLY_CONNECTED]: [1, 2],
    [BuiltinOperator.PRELU]: [1],
  };
  /** Float32 constants the landmark rewrite adds itself (11 KB, mostly zeros: 80 bytes of brotli). */
  const OWN_FLOAT32 = ['idv_refine/iris_z_weights', 'idv_refine/iris_z_bias'];
  const cases = () => {
    const entries = readStoredZip(model('face_landmarker.task').bytes);
    return [
      { name: 'face_detection_short_range.tflite', bytes: model('face_detection_short_range.tflite').bytes },
      ...entries.filter((e) => e.name.endsWith('.tflite')).map((e) => ({ name: e.name, bytes: e.data })),
    ];
  };

  it('every weight and bias of a convolution, depthwise convolution or PRELU is float16 behind DEQUANTIZE v2', () => {
    for (const { name, bytes } of cases()) {
      const g = graphOf(bytes);
      const ops = g.operators.map((t) => g.operator(t));
      const dequantized = new Map<number, number>(); // float32 output → float16 input
      for (const op of ops.filter((o) => o.builtin === BuiltinOperator.DEQUANTIZE)) {
        expect(op.version, name).toBe(2);
        const [input] = op.inputs;
        const [output] = op.outputs;
        const from = g.tensor(input!);
        const to = g.tensor(output!);
        expect([from.type, to.type], `${name}: ${from.name}`).toEqual([
          TensorType.FLOAT16,
          TensorType.FLOAT32,
        ]);
        expect(from.data.length, `${name}: ${from.name}`).toBe(2 * from.shape.reduce((a, b) => a * b, 1));
        expect(to.data.length, `${name}: ${to.name}`).toBe(0);
        expect(to.shape, `${name}: ${to.name}`).toEqual(from.shape);
        expect(halfFloats(from.data).every(Number.isFinite), `${name}: ${from.name}`).toBe(true);
        dequantized.set(output!, input!);
      }
      let checked = 0;
      for (const op of ops) {
        for (const slot of WEIGHT_INPUTS[op.builtin] ?? []) {
          const tensor = op.inputs[slot];
          if (tensor === undefined || tensor < 0) continue;
          const { name: tensorName, type } = g.tensor(tensor);
          if (OWN_FLOAT32.includes(tensorName ?? '')) continue;
          expect(dequantized.has(tensor), `${name}: ${tensorName} is not dequantized float16`).toBe(true);
          expect(type).toBe(TensorType.FLOAT32);
          checked += 1;
        }
      }
      expect(checked, name).toBeGreaterThan(50);
    }
  });

  it('float16 holds at least 99% of the constant bytes; the only float32 constants are the added iris-z tensors', () => {
    for (const { name, bytes } of cases()) {
      const g = graphOf(bytes);
      const byType = new Map<number, number>();
      const float32: string[] = [];
      g.tensors.forEach((_, i) => {
        const t = g.tensor(i);
        if (t.data.length === 0) return;
        byType.set(t.type, (byType.get(t.type) ?? 0) + t.data.length);
        if (t.type === TensorType.FLOAT32) float32.push(t.name ?? '');
      });
      const total = [...byType.values()].reduce((a, b) => a + b, 0);
      expect(byType.get(TensorType.FLOAT16)! / total, name).toBeGreaterThan(0.99);
      expect(float32, name).toEqual(name === FACE_LANDMARKER_BUNDLE.landmarks ? OWN_FLOAT32 : []);
    }
  });

  it('operators are in topological order: every input is a graph input, a constant or an earlier output', () => {
    for (const { name, bytes } of cases()) {
      const g = graphOf(bytes);
      const available = new Set<number>(g.inputs);
      g.tensors.forEach((_, i) => {
        if (g.tensor(i).data.length > 0) available.add(i);
      });
      g.operators.forEach((table, index) => {
        const op = g.operator(table);
        for (const input of op.inputs) {
          if (input < 0) continue; // optional input left out
          expect(
            available.has(input),
            `${name}: op ${index} reads tensor ${input} before it is written`,
          ).toBe(true);
        }
        for (const output of op.outputs) {
          expect(available.has(output), `${name}: tensor ${output} written twice or constant`).toBe(false);
          available.add(output);
        }
      });
      for (const output of g.outputs) expect(available.has(output), name).toBe(true);
    }
  });
});

describe('MediaPipe landmark refinement maps', () => {
  it('have the published sizes, no repeats, and only mesh indices', () => {
    expect(LIPS_TO_MESH).toHaveLength(80);
    expect(LEFT_EYE_TO_MESH).toHaveLength(71);
    expect(RIGHT_EYE_TO_MESH).toHaveLength(71);
    const all = [...LIPS_TO_MESH, ...LEFT_EYE_TO_MESH, ...RIGHT_EYE_TO_MESH];
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((i) => Number.isInteger(i) && i >= 0 && i < MESH_POINTS)).toBe(true);
  });

  it('put iris z at the mean of 16 contour points and touch x, y only of refined mesh points', () => {
    const weights = irisZWeights();
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(2, 6);
    expect(weights.filter((w) => w !== 0)).toHaveLength(32);
    const indices = refinedGatherIndices();
    const layout = concatLayout();
    for (let point = 0; point < MESH_POINTS; point += 1) expect(indices[point * 3 + 2]).toBe(point * 3 + 2);
    for (let point = 468; point < 478; point += 1) {
      expect(indices[point * 3 + 2]).toBe(layout.irisZ + (point < 473 ? 0 : 1));
    }
  });
});
