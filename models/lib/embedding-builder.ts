import { Builder } from 'flatbuffers';

/** Small typed field description for `EmbeddingBuilder.table`. */
export type FieldValue =
  | { id: number; offset: number }
  | { id: number; u32: number }
  | { id: number; i32: number }
  | { id: number; u8: number }
  | { id: number; i8: number }
  | { id: number; f32: number };

/**
 * A FlatBuffers builder whose output ends with an unchanged copy of an existing FlatBuffer file.
 *
 * FlatBuffers offsets are unsigned and point forward. Placing the old file at the end of the new one
 * (at a 16-byte aligned position, which keeps TFLite's `force_align: 16` buffers aligned) lets every
 * new table point at any old table, vector or string by its old position, while everything inside
 * the old file keeps its relative offsets. The old root and identifier become unused bytes.
 */
export class EmbeddingBuilder {
  readonly fb: Builder;
  private readonly embeddedStart: number;

  constructor(source: Uint8Array) {
    this.fb = new Builder(source.length + 65536);
    const tail = (16 - (source.length % 16)) % 16;
    // prep() reserves room and raises the buffer's minimum alignment to 16.
    this.fb.prep(16, source.length + tail);
    this.fb.pad(tail);
    for (let i = source.length - 1; i >= 0; i -= 1) this.fb.writeInt8(source[i] ?? 0);
    this.embeddedStart = this.fb.offset();
  }

  /** Builder offset of the object at position `pos` of the embedded source file. */
  old(pos: number): number {
    return this.embeddedStart - pos;
  }

  string(value: string): number {
    return this.fb.createString(value);
  }

  offsetVector(offsets: readonly number[]): number {
    this.fb.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i -= 1) this.fb.addOffset(offsets[i] ?? 0);
    return this.fb.endVector();
  }

  i32Vector(values: readonly number[]): number {
    this.fb.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i -= 1) this.fb.addInt32(values[i] ?? 0);
    return this.fb.endVector();
  }

  f32Vector(values: readonly number[]): number {
    this.fb.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i -= 1) this.fb.addFloat32(values[i] ?? 0);
    return this.fb.endVector();
  }

  /** A byte vector whose first byte sits at `alignment` (TFLite buffers want 16). */
  byteVector(bytes: Uint8Array, alignment = 16): number {
    this.fb.startVector(1, bytes.length, alignment);
    for (let i = bytes.length - 1; i >= 0; i -= 1) this.fb.writeInt8(bytes[i] ?? 0);
    return this.fb.endVector();
  }

  /** Writes a table with the given fields; absent ids are simply not present in the vtable. */
  table(fields: readonly FieldValue[]): number {
    const maxId = fields.reduce((max, field) => Math.max(max, field.id), -1);
    this.fb.startObject(maxId + 1);
    for (const field of fields) {
      if ('offset' in field) this.fb.addFieldOffset(field.id, field.offset, 0);
      else if ('u32' in field) this.fb.addFieldInt32(field.id, field.u32, null);
      else if ('i32' in field) this.fb.addFieldInt32(field.id, field.i32, null);
      else if ('f32' in field) this.fb.addFieldFloat32(field.id, field.f32, null);
      else if ('u8' in field) this.fb.addFieldInt8(field.id, field.u8, null);
      else this.fb.addFieldInt8(field.id, field.i8, null);
    }
    return this.fb.endObject();
  }

  finish(root: number, identifier: string): Uint8Array {
    this.fb.finish(root, identifier);
    return this.fb.asUint8Array().slice();
  }
}

/** A plain builder for a fresh FlatBuffer (no embedded source), with the same helpers. */
export function freshBuilder(): EmbeddingBuilder {
  return new EmbeddingBuilder(new Uint8Array(0));
}
