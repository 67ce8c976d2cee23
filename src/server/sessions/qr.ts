/**
 * A QR code encoder (ISO/IEC 18004) for the one kind of code the service draws on every session creation:
 * a single byte-mode segment at error-correction level M with mask pattern 2, in the smallest version it
 * fits. The general-purpose `qrcode` package takes several times longer for the same code, most of it
 * in work this case never needs (segmentation, mask trials, per-module bookkeeping); here everything that
 * depends only on the version (function patterns, format and version information, the order in which
 * data modules are filled, the mask) is worked out once per version, and each code costs the
 * Reed–Solomon division and one pass over its data bits. The tests check that every module matches the
 * `qrcode` package's own output for the same options, across versions.
 */

export interface QrCode {
  /** Modules per side. */
  size: number;
  /** size × size modules, row by row; 1 is dark. */
  modules: Uint8Array;
}

/** Total codewords (data and error correction) of versions 1–40. */
const TOTAL_CODEWORDS = [
  0, 26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655, 733, 815, 901, 991, 1085, 1156,
  1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185, 2323, 2465, 2611, 2761, 2876, 3034, 3196, 3362, 3532,
  3706,
];
/** Level M: error-correction blocks of versions 1–40. */
const M_BLOCKS = [
  0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29,
  31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
];
/** Level M: error-correction codewords (all blocks together) of versions 1–40. */
const M_EC_CODEWORDS = [
  0, 10, 16, 26, 36, 48, 64, 72, 88, 110, 130, 150, 176, 198, 216, 240, 280, 308, 338, 364, 416, 442, 476,
  504, 560, 588, 644, 700, 728, 784, 812, 868, 924, 980, 1036, 1064, 1120, 1204, 1260, 1316, 1372,
];
const LEVEL_M = 0b00;
const MASK = 2;
const maskAt = (_row: number, col: number): boolean => col % 3 === 0;
const BYTE_MODE = 0b0100;

// GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;

/**
 * Generator polynomial of degree `degree` as the logarithms of its coefficients, highest first, the
 * leading 1 left out. (No coefficient of these polynomials is zero.)
 */
function generator(degree: number): Uint8Array {
  let poly = new Uint8Array([1]);
  for (let i = 0; i < degree; i++) {
    const next = new Uint8Array(poly.length + 1);
    for (let j = 0; j < poly.length; j++) {
      const coefficient = poly[j]!;
      next[j] = next[j]! ^ coefficient;
      if (coefficient) next[j + 1] = next[j + 1]! ^ EXP[LOG[coefficient]! + i]!;
    }
    poly = next;
  }
  return poly.subarray(1).map((coefficient) => {
    if (coefficient === 0) throw new Error('generator polynomial with a zero coefficient');
    return LOG[coefficient]!;
  });
}

/** BCH code of `value` (its bits shifted left by the generator's degree) with generator `poly`. */
function bch(value: number, poly: number): number {
  const degree = 31 - Math.clz32(poly);
  let rest = value << degree;
  while (31 - Math.clz32(rest) >= degree) rest ^= poly << (31 - Math.clz32(rest) - degree);
  return (value << degree) | rest;
}

interface Layout {
  version: number;
  size: number;
  dataCodewords: number;
  /** Data codewords of each block (the short blocks come first, the long ones have one more). */
  blockSizes: number[];
  ecPerBlock: number;
  /** Logarithms of the generator polynomial's coefficients. */
  generator: Uint8Array;
  /** Function patterns and format information drawn, and the mask already applied to every data module. */
  template: Uint8Array;
  /** Indexes of the data modules in the order the bits fill them. */
  order: Int32Array;
}

const layouts = new Map<number, Layout>();

function layoutOf(version: number): Layout {
  let layout = layouts.get(version);
  if (!layout) {
    layout = makeLayout(version);
    layouts.set(version, layout);
  }
  return layout;
}

function makeLayout(version: number): Layout {
  const size = version * 4 + 17;
  const template = new Uint8Array(size * size);
  const reserved = new Uint8Array(size * size);
  const set = (row: number, col: number, dark: boolean) => {
    template[row * size + col] = dark ? 1 : 0;
    reserved[row * size + col] = 1;
  };

  // Finder patterns with their separators.
  for (const [top, left] of [
    [0, 0],
    [size - 7, 0],
    [0, size - 7],
  ] as const) {
    for (let r = -1; r <= 7; r++) {
      if (top + r < 0 || top + r >= size) continue;
      for (let c = -1; c <= 7; c++) {
        if (left + c < 0 || left + c >= size) continue;
        const ring = (r >= 0 && r <= 6 && (c === 0 || c === 6)) || (c >= 0 && c <= 6 && (r === 0 || r === 6));
        set(top + r, left + c, ring || (r >= 2 && r <= 4 && c >= 2 && c <= 4));
      }
    }
  }
  // Timing patterns.
  for (let i = 8; i < size - 8; i++) {
    set(i, 6, i % 2 === 0);
    set(6, i, i % 2 === 0);
  }
  // Alignment patterns, except where they would sit on a finder pattern.
  const centres = alignmentCentres(version, size);
  for (let i = 0; i < centres.length; i++) {
    for (let j = 0; j < centres.length; j++) {
      const last = centres.length - 1;
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (let r = -2; r <= 2; r++) {
        for (let c = -2; c <= 2; c++) {
          set(
            centres[i]! + r,
            centres[j]! + c,
            r === -2 || r === 2 || c === -2 || c === 2 || (r === 0 && c === 0),
          );
        }
      }
    }
  }
  // Format information (level M, mask 2) and the dark module beside it.
  const format = bch((LEVEL_M << 3) | MASK, 0b10100110111) ^ 0b101010000010010;
  for (let i = 0; i < 15; i++) {
    const dark = ((format >> i) & 1) === 1;
    set(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, dark);
    set(8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1, dark);
  }
  set(size - 8, 8, true);
  // Version information, from version 7 on.
  if (version >= 7) {
    const bits = bch(version, 0b1111100100101);
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >> i) & 1) === 1;
      set(Math.floor(i / 3), (i % 3) + size - 11, dark);
      set((i % 3) + size - 11, Math.floor(i / 3), dark);
    }
  }

  // Data modules: two columns at a time from the right, up and down in turn, skipping the timing column.
  const order: number[] = [];
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right--;
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (const col of [right, right - 1]) {
        const index = row * size + col;
        if (reserved[index]) continue;
        order.push(index);
        template[index] = maskAt(row, col) ? 1 : 0;
      }
    }
    upward = !upward;
  }

  const totalCodewords = TOTAL_CODEWORDS[version]!;
  const blocks = M_BLOCKS[version]!;
  const dataCodewords = totalCodewords - M_EC_CODEWORDS[version]!;
  const longBlocks = totalCodewords % blocks;
  const shortData = Math.floor(dataCodewords / blocks);
  const blockSizes = Array.from({ length: blocks }, (_, b) =>
    b < blocks - longBlocks ? shortData : shortData + 1,
  );
  const ecPerBlock = Math.floor(totalCodewords / blocks) - shortData;
  return {
    version,
    size,
    dataCodewords,
    blockSizes,
    ecPerBlock,
    generator: generator(ecPerBlock),
    template,
    order: Int32Array.from(order),
  };
}

/** Row and column coordinates of the alignment pattern centres. */
function alignmentCentres(version: number, size: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const interval = size === 145 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
  const centres = [size - 7];
  for (let i = 1; i < count - 1; i++) centres.push(centres[i - 1]! - interval);
  centres.push(6);
  return centres.reverse();
}

/** The smallest version whose level-M data capacity holds `length` bytes in one byte-mode segment. */
function versionFor(length: number): number {
  for (let version = 1; version <= 40; version++) {
    const capacityBits = (TOTAL_CODEWORDS[version]! - M_EC_CODEWORDS[version]!) * 8;
    if (4 + (version < 10 ? 8 : 16) + length * 8 <= capacityBits) return version;
  }
  throw new Error(`${length} bytes do not fit in a QR code at error-correction level M`);
}

/** The QR code of `data`: one byte-mode segment, level M, mask pattern 2. */
export function encodeQr(data: Uint8Array): QrCode {
  const layout = layoutOf(versionFor(data.length));
  const { size, dataCodewords, blockSizes, ecPerBlock, generator: gen, order } = layout;

  // Data codewords: mode, character count, the bytes, a terminator, then the pad bytes 0xEC 0x11 in turn.
  const codewords = new Uint8Array(dataCodewords);
  const countBits = layout.version < 10 ? 8 : 16;
  let bits = 0; // bits waiting to be written, and how many
  let pending = 0;
  let at = 0;
  const put = (value: number, length: number) => {
    bits = (bits << length) | value;
    pending += length;
    while (pending >= 8) {
      pending -= 8;
      codewords[at++] = (bits >>> pending) & 0xff;
    }
    bits &= (1 << pending) - 1;
  };
  put(BYTE_MODE, 4);
  put(data.length, countBits);
  for (let i = 0; i < data.length; i++) put(data[i]!, 8);
  put(0, 4); // the terminator always fits: the bits so far are 4 short of a whole codeword
  for (let pad = 0xec; at < dataCodewords; pad ^= 0xec ^ 0x11) codewords[at++] = pad;

  // Error correction per block, then data and error-correction codewords interleaved across the blocks.
  const interleaved = new Uint8Array(TOTAL_CODEWORDS[layout.version]!);
  const blocks = blockSizes.length;
  const shortBlocks = blockSizes.filter((length) => length === blockSizes[0]).length;
  const shortLength = blockSizes[0]!;
  const ec = new Uint8Array(ecPerBlock);
  let offset = 0;
  for (let b = 0; b < blocks; b++) {
    const length = blockSizes[b]!;
    ec.fill(0);
    for (let i = 0; i < length; i++) {
      const value = codewords[offset + i]!;
      // The long blocks' extra last codewords come after every block's first `shortLength`.
      interleaved[i < shortLength ? i * blocks + b : shortLength * blocks + b - shortBlocks] = value;
      // Polynomial division by the generator, one data codeword at a time.
      const factor = value ^ ec[0]!;
      ec.copyWithin(0, 1);
      ec[ecPerBlock - 1] = 0;
      if (factor !== 0) {
        const logFactor = LOG[factor]!;
        for (let j = 0; j < ecPerBlock; j++) ec[j] = ec[j]! ^ EXP[gen[j]! + logFactor]!;
      }
    }
    for (let j = 0; j < ecPerBlock; j++) interleaved[dataCodewords + j * blocks + b] = ec[j]!;
    offset += length;
  }

  // Place the bits; the template already holds the mask, so a dark bit flips its module.
  const modules = layout.template.slice();
  const bitCount = Math.min(order.length, interleaved.length * 8);
  for (let k = 0; k < bitCount; k++) {
    if ((interleaved[k >>> 3]! >>> (7 - (k & 7))) & 1) modules[order[k]!] = modules[order[k]!]! ^ 1;
  }
  return { size, modules };
}
