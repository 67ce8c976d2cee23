import { EmbeddingBuilder } from './embedding-builder.js';
import { FlatBufferView } from './flatbuffer-view.js';

/**
 * Field ids of the TFLite model schema (tensorflow/compiler/mlir/lite/schema/schema.fbs), written out
 * by hand from the public schema: only the fields the model scripts touch.
 */
export const ModelField = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
export const SubGraphField = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const TensorField = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 } as const;
export const OperatorField = {
  opcodeIndex: 0,
  inputs: 1,
  outputs: 2,
  builtinOptionsType: 3,
  builtinOptions: 4,
  customOptions: 5,
} as const;
export const OperatorCodeField = {
  deprecatedBuiltinCode: 0,
  customCode: 1,
  version: 2,
  builtinCode: 3,
} as const;
export const BufferField = { data: 0 } as const;
export const MetadataField = { name: 0, buffer: 1 } as const;

export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2 } as const;

/** Positions of the parts of a TFLite model that a rewrite may keep or replace. */
export interface TfliteModelLayout {
  readonly view: FlatBufferView;
  readonly version: number;
  readonly operatorCodes: number[];
  readonly subgraphs: number[];
  readonly description: number | undefined;
  readonly buffers: number[];
  readonly metadataBufferVector: number | undefined;
  readonly metadata: number[];
  readonly signatureDefsVector: number | undefined;
}

export function readTfliteModel(bytes: Uint8Array): TfliteModelLayout {
  const view = new FlatBufferView(bytes);
  if (view.identifier() !== 'TFL3') throw new Error(`not a TFLite model (identifier ${view.identifier()})`);
  const root = view.root();
  return {
    view,
    version: view.scalarU32(root, ModelField.version),
    operatorCodes: view.tableVector(root, ModelField.operatorCodes),
    subgraphs: view.tableVector(root, ModelField.subgraphs),
    description: view.ref(root, ModelField.description),
    buffers: view.tableVector(root, ModelField.buffers),
    metadataBufferVector: view.ref(root, ModelField.metadataBuffer),
    metadata: view.tableVector(root, ModelField.metadata),
    signatureDefsVector: view.ref(root, ModelField.signatureDefs),
  };
}

/** Names of the `Model.metadata` entries, e.g. `min_runtime_version`, `TFLITE_METADATA`. */
export function metadataNames(layout: TfliteModelLayout): string[] {
  return layout.metadata.map((entry) => layout.view.string(entry, MetadataField.name) ?? '');
}

/** What the new root `Model` table lists; each entry is a builder offset (old or new object). */
export interface ModelParts {
  operatorCodes: number[];
  subgraphs: number[];
  buffers: number[];
  metadata: number[];
}

/**
 * Rewrites a TFLite model: `plan` receives a builder holding the original file and the original
 * layout, creates whatever new objects it needs, and returns the lists for the new root table. The
 * scalar version, description, legacy metadata_buffer and signature defs are carried over.
 */
export function rewriteTfliteModel(
  source: Uint8Array,
  plan: (builder: EmbeddingBuilder, layout: TfliteModelLayout) => ModelParts,
): Uint8Array {
  const layout = readTfliteModel(source);
  const builder = new EmbeddingBuilder(source);
  const parts = plan(builder, layout);
  const operatorCodes = builder.offsetVector(parts.operatorCodes);
  const subgraphs = builder.offsetVector(parts.subgraphs);
  const buffers = builder.offsetVector(parts.buffers);
  const metadata = builder.offsetVector(parts.metadata);
  const old = (pos: number | undefined): number => (pos === undefined ? 0 : builder.old(pos));
  const root = builder.table([
    { id: ModelField.version, u32: layout.version },
    { id: ModelField.operatorCodes, offset: operatorCodes },
    { id: ModelField.subgraphs, offset: subgraphs },
    { id: ModelField.description, offset: old(layout.description) },
    { id: ModelField.buffers, offset: buffers },
    { id: ModelField.metadataBuffer, offset: old(layout.metadataBufferVector) },
    { id: ModelField.metadata, offset: metadata },
    { id: ModelField.signatureDefs, offset: old(layout.signatureDefsVector) },
  ]);
  return builder.finish(root, 'TFL3');
}

/** Adds one `Buffer` holding `data` and returns its builder offset. */
export function newBuffer(builder: EmbeddingBuilder, data: Uint8Array): number {
  const vector = builder.byteVector(data, 16);
  return builder.table([{ id: BufferField.data, offset: vector }]);
}

/** Adds a `Metadata` entry (`name` → buffer index). */
export function newMetadataEntry(builder: EmbeddingBuilder, name: string, bufferIndex: number): number {
  const nameOffset = builder.string(name);
  return builder.table([
    { id: MetadataField.name, offset: nameOffset },
    { id: MetadataField.buffer, u32: bufferIndex },
  ]);
}
