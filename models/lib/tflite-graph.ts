import type { EmbeddingBuilder, FieldValue } from './embedding-builder.js';
import {
  newBuffer,
  newMetadataEntry,
  OperatorCodeField,
  OperatorField,
  readTfliteModel,
  rewriteTfliteModel,
  SubGraphField,
  TensorField,
  type TfliteModelLayout,
} from './tflite-model.js';

/** Builtin operator codes used by the model scripts (BuiltinOperator in the TFLite schema). */
export const BuiltinOperator = {
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  MUL: 18,
  RESHAPE: 22,
  CUSTOM: 32,
  GATHER: 36,
  PRELU: 54,
} as const;

/** Members of the `BuiltinOptions` union (their position in the schema's union, NONE being 0). */
export const BuiltinOptionsType = {
  FullyConnectedOptions: 8,
  ConcatenationOptions: 10,
  ReshapeOptions: 17,
  GatherOptions: 23,
} as const;

export interface OperatorOptions {
  readonly type: number;
  /** Builds the options table (children first) and returns its builder offset. */
  readonly build: (builder: EmbeddingBuilder) => number;
}

interface PendingTensor {
  readonly name: string;
  readonly type: number;
  readonly shape: readonly number[];
  readonly data: Uint8Array | undefined;
}

interface PendingOperator {
  readonly builtin: number;
  readonly version: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options: OperatorOptions | undefined;
}

/** A model's operator code as TFLite resolves it (builtin_code, or the deprecated byte below 127). */
export function effectiveBuiltinCode(layout: TfliteModelLayout, opcode: number): number {
  const { view } = layout;
  const deprecated = view.scalarI8(opcode, OperatorCodeField.deprecatedBuiltinCode);
  const builtin = view.scalarI32(opcode, OperatorCodeField.builtinCode);
  return Math.max(deprecated, builtin);
}

/**
 * Appends tensors and builtin operators to the single subgraph of a TFLite model and replaces its
 * outputs, without touching anything that exists: the new SubGraph lists the old tensors and
 * operators by position (they stay inside the embedded original file), then the new ones. Constant
 * tensors get new Buffers; extra `Model.metadata` entries (e.g. TFLITE_METADATA) can be added in the
 * same pass.
 */
export class TfliteGraphEditor {
  readonly layout: TfliteModelLayout;
  private readonly subgraph: number;
  private readonly oldTensors: number[];
  private readonly oldOperators: number[];
  private readonly tensors: PendingTensor[] = [];
  private readonly operators: PendingOperator[] = [];
  private readonly metadata: Array<{ name: string; bytes: Uint8Array }> = [];
  private outputs: readonly number[];

  constructor(private readonly source: Uint8Array) {
    this.layout = readTfliteModel(source);
    const { view } = this.layout;
    if (this.layout.subgraphs.length !== 1) {
      throw new Error(`expected one subgraph, found ${this.layout.subgraphs.length}`);
    }
    this.subgraph = this.layout.subgraphs[0] ?? 0;
    for (let id = SubGraphField.name + 1; id < 16; id += 1) {
      if (view.field(this.subgraph, id) !== undefined) {
        throw new Error(`the subgraph carries field ${id}, which this editor would drop`);
      }
    }
    this.oldTensors = view.tableVector(this.subgraph, SubGraphField.tensors);
    this.oldOperators = view.tableVector(this.subgraph, SubGraphField.operators);
    this.outputs = view.intVector(this.subgraph, SubGraphField.outputs);
  }

  get tensorCount(): number {
    return this.oldTensors.length + this.tensors.length;
  }

  inputs(): number[] {
    return this.layout.view.intVector(this.subgraph, SubGraphField.inputs);
  }

  currentOutputs(): readonly number[] {
    return this.outputs;
  }

  tensorName(index: number): string {
    const pending = this.tensors[index - this.oldTensors.length];
    if (pending) return pending.name;
    const tensor = this.oldTensor(index);
    return this.layout.view.string(tensor, TensorField.name) ?? '';
  }

  tensorShape(index: number): number[] {
    const pending = this.tensors[index - this.oldTensors.length];
    if (pending) return [...pending.shape];
    return this.layout.view.intVector(this.oldTensor(index), TensorField.shape);
  }

  tensorType(index: number): number {
    const pending = this.tensors[index - this.oldTensors.length];
    if (pending) return pending.type;
    return this.layout.view.scalarI8(this.oldTensor(index), TensorField.type);
  }

  /** Index of the one existing tensor called `name`. */
  tensorIndex(name: string): number {
    const matches: number[] = [];
    for (let i = 0; i < this.oldTensors.length; i += 1) if (this.tensorName(i) === name) matches.push(i);
    if (matches.length !== 1) throw new Error(`expected one tensor named ${name}, found ${matches.length}`);
    return matches[0] ?? -1;
  }

  /** Adds a tensor (constant when `data` is given) and returns its index. */
  addTensor(name: string, type: number, shape: readonly number[], data?: Uint8Array): number {
    this.tensors.push({ name, type, shape: [...shape], data });
    return this.tensorCount - 1;
  }

  addOperator(
    builtin: number,
    version: number,
    inputs: readonly number[],
    outputs: readonly number[],
    options?: OperatorOptions,
  ): void {
    this.operators.push({ builtin, version, inputs: [...inputs], outputs: [...outputs], options });
  }

  setOutputs(outputs: readonly number[]): void {
    this.outputs = [...outputs];
  }

  addMetadata(name: string, bytes: Uint8Array): void {
    this.metadata.push({ name, bytes });
  }

  build(): Uint8Array {
    return rewriteTfliteModel(this.source, (b, layout) => {
      const { view } = layout;
      const buffers = layout.buffers.map((pos) => b.old(pos));

      // Operator codes: reuse an existing builtin code of the same version, add the others.
      const operatorCodes = layout.operatorCodes.map((pos) => b.old(pos));
      const codeKeys = layout.operatorCodes.map((pos) =>
        view.string(pos, OperatorCodeField.customCode) === undefined
          ? `${effectiveBuiltinCode(layout, pos)}@${view.scalarI32(pos, OperatorCodeField.version, 1)}`
          : undefined,
      );
      const opcodeIndex = (builtin: number, version: number): number => {
        const key = `${builtin}@${version}`;
        const found = codeKeys.indexOf(key);
        if (found >= 0) return found;
        operatorCodes.push(
          b.table([
            { id: OperatorCodeField.deprecatedBuiltinCode, i8: Math.min(builtin, 127) },
            { id: OperatorCodeField.version, i32: version },
            { id: OperatorCodeField.builtinCode, i32: builtin },
          ]),
        );
        codeKeys.push(key);
        return operatorCodes.length - 1;
      };

      const tensors = this.oldTensors.map((pos) => b.old(pos));
      for (const tensor of this.tensors) {
        let bufferIndex = 0; // the always-present empty buffer: a tensor computed at run time
        if (tensor.data) {
          buffers.push(newBuffer(b, tensor.data));
          bufferIndex = buffers.length - 1;
        }
        const shape = b.i32Vector(tensor.shape);
        const name = b.string(tensor.name);
        tensors.push(
          b.table([
            { id: TensorField.shape, offset: shape },
            { id: TensorField.type, i8: tensor.type },
            { id: TensorField.buffer, u32: bufferIndex },
            { id: TensorField.name, offset: name },
          ]),
        );
      }

      const operators = this.oldOperators.map((pos) => b.old(pos));
      for (const op of this.operators) {
        const index = opcodeIndex(op.builtin, op.version);
        const inputs = b.i32Vector(op.inputs);
        const outputs = b.i32Vector(op.outputs);
        const fields: FieldValue[] = [
          { id: OperatorField.opcodeIndex, u32: index },
          { id: OperatorField.inputs, offset: inputs },
          { id: OperatorField.outputs, offset: outputs },
        ];
        if (op.options) {
          const options = op.options.build(b);
          fields.push(
            { id: OperatorField.builtinOptionsType, u8: op.options.type },
            { id: OperatorField.builtinOptions, offset: options },
          );
        }
        operators.push(b.table(fields));
      }

      const metadata = layout.metadata.map((pos) => b.old(pos));
      for (const entry of this.metadata) {
        buffers.push(newBuffer(b, entry.bytes));
        metadata.push(newMetadataEntry(b, entry.name, buffers.length - 1));
      }

      const tensorVector = b.offsetVector(tensors);
      const inputVector = view.ref(this.subgraph, SubGraphField.inputs);
      const outputVector = b.i32Vector(this.outputs);
      const operatorVector = b.offsetVector(operators);
      const nameString = view.ref(this.subgraph, SubGraphField.name);
      const subgraphFields: FieldValue[] = [
        { id: SubGraphField.tensors, offset: tensorVector },
        { id: SubGraphField.outputs, offset: outputVector },
        { id: SubGraphField.operators, offset: operatorVector },
      ];
      if (inputVector !== undefined)
        subgraphFields.push({ id: SubGraphField.inputs, offset: b.old(inputVector) });
      if (nameString !== undefined)
        subgraphFields.push({ id: SubGraphField.name, offset: b.old(nameString) });
      const subgraph = b.table(subgraphFields);

      return { operatorCodes, subgraphs: [subgraph], buffers, metadata };
    });
  }

  private oldTensor(index: number): number {
    const tensor = this.oldTensors[index];
    if (tensor === undefined) throw new Error(`no tensor ${index}`);
    return tensor;
  }
}

/** Little-endian bytes of a typed array (TFLite buffers are little-endian). */
export function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    if (values instanceof Float32Array) view.setFloat32(i * 4, value, true);
    else view.setInt32(i * 4, value, true);
  });
  return out;
}
