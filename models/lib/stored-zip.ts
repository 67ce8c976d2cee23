import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Alignment of each entry's data in the archive: TFLite wants its buffers 16-byte aligned. */
export const ZIP_DATA_ALIGNMENT = 64;
/** The ZIP extra-field id that zipalign-style tools use for alignment padding. */
const ALIGNMENT_EXTRA_ID = 0xd935;
const LOCAL_HEADER_SIZE = 30;
/**
 * The DOS epoch. fflate writes DOS date/time from the local-time getters of a Date, so a Date made
 * from local-time parts gives the same bytes in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/**
 * A deterministic ZIP of STORED (uncompressed) entries in the given order, each entry's data placed
 * at a multiple of ZIP_DATA_ALIGNMENT by padding the local header's extra field. MediaPipe reads model
 * files straight out of a `.task` archive, so they must be stored, and aligned data keeps the models'
 * own 16-byte buffer alignment.
 */
export function storedZip(entries: readonly ZipEntry[]): Uint8Array {
  const tree: Zippable = {};
  let offset = 0;
  const names = new Set<string>();
  for (const entry of entries) {
    if (names.has(entry.name) || entry.name.includes('/')) throw new Error(`bad zip entry ${entry.name}`);
    names.add(entry.name);
    const nameLength = new TextEncoder().encode(entry.name).length;
    const unpadded = offset + LOCAL_HEADER_SIZE + nameLength + 4;
    const padding = (ZIP_DATA_ALIGNMENT - (unpadded % ZIP_DATA_ALIGNMENT)) % ZIP_DATA_ALIGNMENT;
    tree[entry.name] = [
      entry.data,
      { level: 0, mtime: FIXED_MTIME, extra: { [ALIGNMENT_EXTRA_ID]: new Uint8Array(padding) } },
    ];
    offset = unpadded + padding + entry.data.length;
  }
  const zip = zipSync(tree, { level: 0, mtime: FIXED_MTIME });
  // fflate writes the entries in insertion order; check where the data landed.
  const located = readStoredZip(zip);
  entries.forEach((entry, i) => {
    const found = located[i];
    if (!found || found.name !== entry.name || found.dataOffset % ZIP_DATA_ALIGNMENT !== 0) {
      throw new Error(`zip entry ${entry.name} is not where it should be`);
    }
  });
  return zip;
}

export interface StoredZipEntry {
  readonly name: string;
  readonly method: number;
  readonly dataOffset: number;
  readonly data: Uint8Array;
  readonly crc32: number;
  readonly dosTime: number;
}

/** Lists the entries of a ZIP through its central directory (enough for checks and tests). */
export function readStoredZip(zip: Uint8Array): StoredZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('no end of central directory');
  const count = view.getUint16(end + 10, true);
  let pos = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const entries: StoredZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (view.getUint32(pos, true) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = view.getUint16(pos + 10, true);
    const dosTime = view.getUint32(pos + 12, true);
    const crc32 = view.getUint32(pos + 16, true);
    const size = view.getUint32(pos + 20, true);
    const nameLength = view.getUint16(pos + 28, true);
    const extraLength = view.getUint16(pos + 30, true);
    const commentLength = view.getUint16(pos + 32, true);
    const local = view.getUint32(pos + 42, true);
    const name = decoder.decode(zip.subarray(pos + 46, pos + 46 + nameLength));
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataOffset =
      local + LOCAL_HEADER_SIZE + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    entries.push({
      name,
      method,
      dataOffset,
      data: zip.subarray(dataOffset, dataOffset + size),
      crc32,
      dosTime,
    });
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
