/**
 * A read-only view over an existing FlatBuffer: just enough to walk tables, vectors and strings by
 * field id and to learn where each object sits in the file. The model scripts need positions, not
 * decoded objects, because they re-point new tables at old ones instead of re-encoding everything.
 */
export class FlatBufferView {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(pos: number): number {
    return this.view.getUint8(pos);
  }
  i32(pos: number): number {
    return this.view.getInt32(pos, true);
  }
  u32(pos: number): number {
    return this.view.getUint32(pos, true);
  }
  f32(pos: number): number {
    return this.view.getFloat32(pos, true);
  }

  /** Position of the root table. */
  root(): number {
    return this.u32(0);
  }

  /** The 4-character file identifier, if any. */
  identifier(): string {
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  /** Absolute position of a field's inline value in a table, or undefined when the field is absent. */
  field(table: number, id: number): number | undefined {
    const vtable = table - this.i32(table);
    const vtableSize = this.view.getUint16(vtable, true);
    const slot = 4 + id * 2;
    if (slot >= vtableSize) return undefined;
    const offset = this.view.getUint16(vtable + slot, true);
    return offset === 0 ? undefined : table + offset;
  }

  /** Follows an offset stored at `pos` (tables, vectors, strings). */
  deref(pos: number): number {
    return pos + this.u32(pos);
  }

  /** Position of the table/vector/string that field `id` points at. */
  ref(table: number, id: number): number | undefined {
    const pos = this.field(table, id);
    return pos === undefined ? undefined : this.deref(pos);
  }

  vectorLength(vector: number): number {
    return this.u32(vector);
  }

  /** Positions of the tables listed in a vector of tables. */
  tableVector(table: number, id: number): number[] {
    const vector = this.ref(table, id);
    if (vector === undefined) return [];
    const out: number[] = [];
    for (let i = 0; i < this.vectorLength(vector); i += 1) out.push(this.deref(vector + 4 + i * 4));
    return out;
  }

  intVector(table: number, id: number): number[] {
    const vector = this.ref(table, id);
    if (vector === undefined) return [];
    const out: number[] = [];
    for (let i = 0; i < this.vectorLength(vector); i += 1) out.push(this.i32(vector + 4 + i * 4));
    return out;
  }

  byteVector(table: number, id: number): Uint8Array {
    const vector = this.ref(table, id);
    if (vector === undefined) return new Uint8Array(0);
    return this.bytes.subarray(vector + 4, vector + 4 + this.vectorLength(vector));
  }

  string(table: number, id: number): string | undefined {
    const str = this.ref(table, id);
    if (str === undefined) return undefined;
    return new TextDecoder().decode(this.bytes.subarray(str + 4, str + 4 + this.vectorLength(str)));
  }

  scalarU32(table: number, id: number, fallback = 0): number {
    const pos = this.field(table, id);
    return pos === undefined ? fallback : this.u32(pos);
  }
  scalarI32(table: number, id: number, fallback = 0): number {
    const pos = this.field(table, id);
    return pos === undefined ? fallback : this.i32(pos);
  }
  scalarI8(table: number, id: number, fallback = 0): number {
    const pos = this.field(table, id);
    return pos === undefined ? fallback : this.view.getInt8(pos);
  }
  scalarU8(table: number, id: number, fallback = 0): number {
    const pos = this.field(table, id);
    return pos === undefined ? fallback : this.u8(pos);
  }
}
