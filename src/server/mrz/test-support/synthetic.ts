/**
 * Synthetic ID-card backs (TD1) and passport data pages (TD3) with a known machine-readable zone, for
 * the reading test and the bench. Every image is a pure function of its seed: a printed document (security
 * background, text, portrait or barcode, the zone in OCR-B), laid flat or placed in a scene with
 * perspective, then lighting, glare, blur, noise and JPEG compression.
 *
 * The zone is set in OCR-B from Debian's fonts-ocr-b (Matthew Skala's version, public domain), kept
 * beside this file so the test needs nothing installed.
 */
import { resolve } from 'node:path';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { composeMrz, type MrzData } from '../../../core/mrz/compose.js';
import { ICAO_STATE_CODES } from '../../../core/mrz/states.js';

export const OCRB_FONT = resolve(import.meta.dirname, 'OCRB.otf');
const FIXTURES = resolve(import.meta.dirname, '../../../../../shared/fixtures');

export type SyntheticKind = 'document_back' | 'passport';

export interface SyntheticOptions {
  kind?: SyntheticKind;
  /** Placed in a scene with perspective (true) or laid flat (false); chosen by the seed when absent. */
  scene?: boolean;
  /** Data to print instead of random data. */
  data?: Partial<MrzData>;
  /** Today, for choosing birth and expiry dates. */
  now?: Date;
  /** A clean photograph: no glare or blur, little noise, good JPEG quality (for API tests). */
  clean?: boolean;
}

export interface SyntheticDocument {
  seed: number;
  kind: SyntheticKind;
  format: 'TD1' | 'TD3';
  scene: boolean;
  /** The zone as printed. */
  lines: string[];
  data: MrzData;
  jpeg: Buffer;
  width: number;
  height: number;
  /** What was done to the image, for reports. */
  effects: { blur: number; noise: number; glare: number; quality: number; angle: number };
}

/** mulberry32: small, fast, and the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (lo: number, hi: number) => lo + (hi - lo) * next(),
    int: (lo: number, hi: number) => Math.floor(lo + (hi - lo) * next()),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    gauss: () => {
      const u = Math.max(next(), 1e-9);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
type Rng = ReturnType<typeof prng>;

const SYLLABLES = [
  'an',
  'ber',
  'cha',
  'del',
  'er',
  'fo',
  'gar',
  'hel',
  'in',
  'jo',
  'ka',
  'lin',
  'mar',
  'ne',
  'ol',
  'pa',
  'ri',
  'sa',
  'to',
  'ul',
  'va',
  'wen',
  'xi',
  'ya',
  'zo',
  'son',
  'sen',
  'berg',
  'ova',
  'ez',
  'ski',
  'ti',
  'qui',
  'ho',
  'mo',
  'du',
  'lé',
  'ck',
  'ph',
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';
const LABELS = [
  'SURNAME',
  'NOM',
  'APELLIDOS',
  'GIVEN NAMES',
  'PRENOMS',
  'DATE OF BIRTH',
  'NATIONALITY',
  'SEX',
  'DATE OF EXPIRY',
  'DOCUMENT NO',
  'PLACE OF BIRTH',
  'AUTHORITY',
  'DATE OF ISSUE',
  'HEIGHT',
  'ADDRESS',
];
const TITLES = [
  'PASSPORT',
  'PASSEPORT',
  'REISEPASS',
  'PASAPORTE',
  'IDENTITY CARD',
  'RESIDENCE PERMIT',
  'UTOPIA',
];
const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'Liberation Sans', 'DejaVu Sans Condensed'];

function word(rng: Rng, lo = 2, hi = 4): string {
  let text = '';
  for (let i = rng.int(lo, hi); i > 0; i--) text += rng.pick(SYLLABLES);
  return text.toUpperCase();
}

const chars = (rng: Rng, alphabet: string, n: number) =>
  Array.from({ length: n }, () => rng.pick([...alphabet])).join('');

function yymmdd(date: Date): string {
  return date.toISOString().slice(2, 10).replaceAll('-', '');
}

function randomData(rng: Rng, kind: SyntheticKind, now: Date): MrzData {
  const states = ICAO_STATE_CODES;
  const state = rng.chance(0.15)
    ? rng.pick(['D', 'GBR', 'NLD', 'FRA', 'XXA', 'UNO', 'GBN'])
    : rng.pick(states);
  const day = 86_400_000;
  const birth = new Date(now.getTime() - rng.range(16, 85) * 365.25 * day);
  // Mostly valid documents, some expired.
  const expiry = new Date(now.getTime() + rng.range(-3, 10) * 365.25 * day);
  const names = rng.int(1, 4);
  const given = Array.from({ length: names }, () => word(rng, 1, 4)).join(' ');
  const surname = rng.chance(0.15) ? `${word(rng, 1, 3)} ${word(rng)}` : word(rng, 2, 5);
  const numberLength = rng.chance(0.8) ? 9 : rng.int(6, 9);
  const card = kind === 'document_back';
  return {
    documentCode: card ? rng.pick(['I', 'ID', 'IR', 'AC', 'C', 'I']) : rng.pick(['P', 'P', 'PD', 'PO']),
    issuingState: state,
    surname,
    givenNames: given,
    documentNumber: rng.chance(0.5)
      ? chars(rng, ALNUM, numberLength)
      : chars(rng, 'ABCDEFGHJKLMNPRSTUVWXYZ', 2) + chars(rng, DIGITS, numberLength - 2),
    nationality: rng.chance(0.8) ? state : rng.pick(states),
    birthDate: yymmdd(birth),
    sex: rng.pick(['M', 'F', 'F', 'M', '<']),
    expiryDate: yymmdd(expiry),
    optionalData: rng.chance(0.4) ? chars(rng, DIGITS, rng.int(4, card ? 15 : 14)) : '',
    optionalData2: card && rng.chance(0.3) ? chars(rng, ALNUM, rng.int(3, 11)) : '',
  };
}

const hex = (rgb: number[]) =>
  `#${rgb
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
const pastel = (rng: Rng) => [0, 0, 0].map(() => 255 - rng.range(8, 70));
const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The printed background and everything but the zone, as SVG. */
function documentSvg(
  rng: Rng,
  kind: SyntheticKind,
  w: number,
  h: number,
  zoneTop: number,
  data: MrzData,
): string {
  const parts: string[] = [];
  const c1 = pastel(rng);
  const c2 = pastel(rng);
  parts.push(
    `<defs><linearGradient id="g" x1="0" y1="0" x2="${rng.range(0.3, 1)}" y2="${rng.range(0, 1)}">` +
      `<stop offset="0" stop-color="${hex(c1)}"/><stop offset="1" stop-color="${hex(c2)}"/></linearGradient></defs>`,
    `<rect width="${w}" height="${h}" fill="url(#g)"/>`,
  );
  const line = hex(pastel(rng).map((v) => v * rng.range(0.7, 0.92)));
  const style = rng.int(0, 3);
  if (style === 0) {
    const n = rng.int(8, 24);
    const amp = rng.range(4, h / 6);
    const freq = rng.range(0.01, 0.05);
    for (let i = 0; i < n; i++) {
      const y0 = (h * (i + 0.5)) / n;
      const phase = rng.range(0, 6);
      const points: string[] = [];
      for (let x = 0; x <= w; x += 6)
        points.push(`${x},${(y0 + amp * Math.sin(x * freq + phase)).toFixed(1)}`);
      parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${line}" stroke-width="1.2"/>`);
    }
  } else if (style === 1) {
    const cx = rng.range(0, w);
    const cy = rng.range(0, h);
    for (let j = 0; j < rng.int(5, 14); j++) {
      parts.push(
        `<circle cx="${cx}" cy="${cy}" r="${(h * (0.2 + j * 0.07)).toFixed(1)}" fill="none" stroke="${line}" stroke-width="1.2"/>`,
      );
    }
  }
  const font = rng.pick(FONTS);
  const ink = hex([rng.range(0, 70), rng.range(0, 70), rng.range(0, 90)]);
  const label = hex([rng.range(60, 140), rng.range(60, 140), rng.range(60, 160)]);
  const text = (x: number, y: number, size: number, value: string, fill: string, weight = 'normal') =>
    parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${font}" font-size="${size.toFixed(1)}" font-weight="${weight}" fill="${fill}">${escapeXml(value)}</text>`,
    );
  const block = (x: number, y: number, bw: number, bh: number) => {
    const rows = rng.int(3, 6);
    const rh = bh / rows;
    for (let r = 0; r < rows; r++) {
      text(x, y + r * rh + rh * 0.3, rh * 0.22, rng.pick(LABELS), label);
      const value = rng.chance(0.5)
        ? word(rng)
        : rng.chance(0.5)
          ? `${rng.int(1, 29)}.${rng.int(1, 13)}.${rng.int(1940, 2035)}`
          : data.documentNumber;
      text(x, y + r * rh + rh * 0.72, rh * rng.range(0.3, 0.4), value, ink);
      if (rng.chance(0.3)) text(x + bw * 0.55, y + r * rh + rh * 0.72, rh * 0.32, word(rng, 1, 3), ink);
    }
  };
  if (kind === 'passport') {
    text(w * rng.range(0.03, 0.4), h * 0.08, h * 0.055, rng.pick(TITLES), ink, 'bold');
    const ph = h * rng.range(0.42, 0.5);
    const pw = ph * 0.78;
    const px = w * 0.04;
    const py = h * 0.13;
    const skin = rng.range(110, 235);
    parts.push(
      `<rect x="${px}" y="${py}" width="${pw}" height="${ph}" fill="${hex([rng.range(170, 250), rng.range(170, 250), rng.range(170, 250)])}"/>`,
      `<ellipse cx="${px + pw / 2}" cy="${py + ph * 1.02}" rx="${pw * 0.5}" ry="${ph * 0.3}" fill="${hex([rng.range(0, 200), rng.range(0, 200), rng.range(0, 200)])}"/>`,
      `<ellipse cx="${px + pw / 2}" cy="${py + ph * 0.42}" rx="${pw * 0.3}" ry="${ph * 0.28}" fill="${hex([skin, skin * 0.78, skin * 0.62])}"/>`,
    );
    block(px + pw + w * 0.05, h * 0.12, w * 0.55, zoneTop - h * 0.16);
  } else if (rng.chance(0.5)) {
    parts.push(
      `<rect x="${w * 0.05}" y="${h * 0.06}" width="${w * 0.9}" height="${h * 0.22}" fill="#fafafa"/>`,
    );
    let x = w * 0.06;
    while (x < w * 0.93) {
      const bar = rng.range(1, 4);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${h * 0.08}" width="${bar.toFixed(1)}" height="${h * 0.18}" fill="#111"/>`,
      );
      x += bar + rng.range(1.5, 5);
    }
  } else {
    block(w * 0.05, h * 0.05, w * 0.6, zoneTop - h * 0.1);
  }
  // The zone's clear area: plain, or the background showing through more or less.
  const band = hex([rng.range(225, 255), rng.range(225, 255), rng.range(225, 255)]);
  parts.push(
    `<rect x="0" y="${zoneTop}" width="${w}" height="${h - zoneTop}" fill="${band}" fill-opacity="${rng.range(0.6, 1).toFixed(2)}"/>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
}

/** One zone line in OCR-B, its ink exactly `width` wide; RGBA. */
async function zoneLine(
  text: string,
  width: number,
  ink: string,
): Promise<{ data: Buffer; width: number; height: number }> {
  const rendered = await sharp({
    text: {
      text: `<span foreground="${ink}">${escapeXml(text)}</span>`,
      fontfile: OCRB_FONT,
      font: 'OCR B',
      dpi: 400,
      rgba: true,
    },
  })
    .png()
    .toBuffer();
  const trimmed = await sharp(rendered).trim({ threshold: 1 }).toBuffer({ resolveWithObject: true });
  const out = await sharp(trimmed.data)
    .resize({ width: Math.round(width), kernel: 'lanczos3' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: out.data, width: out.info.width, height: out.info.height };
}

interface Raster {
  data: Float32Array; // RGBA, 0–255
  width: number;
  height: number;
}

async function rasterOf(image: Sharp): Promise<Raster> {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data), width: info.width, height: info.height };
}

/** Renders the document at `ppm` pixels per millimetre: RGBA with rounded corners for a card. */
async function renderDocument(
  rng: Rng,
  kind: SyntheticKind,
  lines: string[],
  data: MrzData,
  ppm: number,
): Promise<Raster> {
  const card = kind === 'document_back';
  const wMm = card ? 85.6 : 125;
  const hMm = card ? 53.98 : 88;
  const w = Math.round(wMm * ppm);
  const h = Math.round(hMm * ppm);
  // ICAO 9303: 2.54 mm per character; lines about 3.5 (TD1) to 4.2 mm (TD3) apart, near the bottom edge.
  const pitch = 2.54 * ppm * rng.range(0.97, 1.03);
  const n = lines[0]!.length;
  const inkWidth = pitch * (n - 0.35);
  const left = (w - pitch * n) / 2 + rng.range(-1, 1) * ppm;
  const spacing = (card ? 3.53 : 4.3) * ppm * rng.range(0.96, 1.06);
  const bottom = h - (card ? 2.2 : 3.2) * ppm * rng.range(0.85, 1.15);
  const firstBase = bottom - spacing * (lines.length - 1);
  const zoneTop = firstBase - (card ? 4.5 : 6) * ppm;
  const svg = documentSvg(rng, kind, w, h, zoneTop, data);
  const inkGrey = rng.range(5, 45);
  const ink = hex([inkGrey, inkGrey, inkGrey + rng.range(0, 20)]);
  const composites: OverlayOptions[] = [];
  for (let i = 0; i < lines.length; i++) {
    const glyphs = await zoneLine(lines[i]!, inkWidth, ink);
    composites.push({
      input: glyphs.data,
      raw: { width: glyphs.width, height: glyphs.height, channels: 4 },
      left: Math.round(left),
      top: Math.round(firstBase + spacing * i - glyphs.height),
    });
  }
  let image = sharp(Buffer.from(svg)).composite(composites);
  if (card) {
    const r = 3.18 * ppm;
    const mask = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" rx="${r}" ry="${r}" fill="#fff"/></svg>`,
    );
    image = sharp(await image.png().toBuffer()).composite([{ input: mask, blend: 'dest-in' }]);
  }
  return rasterOf(sharp(await image.png().toBuffer()));
}

type Point = [number, number];

/** The homography taking the four `from` points to the four `to` points (3×3, row-major). */
function homography(from: Point[], to: Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return [...Array.from({ length: 8 }, (_, i) => a[i]![8]! / a[i]![i]!), 1];
}

/** Draws `doc` into `frame` (RGB) through the quad `corners` (TL, TR, BR, BL), bilinear, alpha-blended. */
function warpInto(frame: Raster, doc: Raster, corners: Point[]): void {
  const src: Point[] = [
    [0, 0],
    [doc.width, 0],
    [doc.width, doc.height],
    [0, doc.height],
  ];
  const m = homography(corners, src);
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(frame.width, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(frame.height, Math.ceil(Math.max(...ys)));
  const d = doc.data;
  const dw = doc.width;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const z = m[6]! * px + m[7]! * py + m[8]!;
      const u = (m[0]! * px + m[1]! * py + m[2]!) / z - 0.5;
      const v = (m[3]! * px + m[4]! * py + m[5]!) / z - 0.5;
      if (u < -0.5 || v < -0.5 || u > doc.width - 0.5 || v > doc.height - 0.5) continue;
      const ux = Math.max(0, Math.min(dw - 1.001, u));
      const vy = Math.max(0, Math.min(doc.height - 1.001, v));
      const iu = Math.floor(ux);
      const iv = Math.floor(vy);
      const fu = ux - iu;
      const fv = vy - iv;
      const o00 = (iv * dw + iu) * 4;
      const o10 = o00 + 4;
      const o01 = o00 + dw * 4;
      const o11 = o01 + 4;
      const w00 = (1 - fu) * (1 - fv);
      const w10 = fu * (1 - fv);
      const w01 = (1 - fu) * fv;
      const w11 = fu * fv;
      const alpha = (d[o00 + 3]! * w00 + d[o10 + 3]! * w10 + d[o01 + 3]! * w01 + d[o11 + 3]! * w11) / 255;
      if (alpha <= 0) continue;
      const o = (y * frame.width + x) * 4;
      for (let c = 0; c < 3; c++) {
        const value = d[o00 + c]! * w00 + d[o10 + c]! * w10 + d[o01 + c]! * w01 + d[o11 + c]! * w11;
        frame.data[o + c] = frame.data[o + c]! * (1 - alpha) + value * alpha;
      }
    }
  }
}

async function background(rng: Rng, width: number, height: number): Promise<Raster> {
  if (rng.chance(0.5)) {
    const name = rng.pick(['astronaut', 'chelsea', 'coffee']);
    return rasterOf(
      sharp(`${FIXTURES}/${name}.png`)
        .resize(width, height, { fit: 'cover' })
        .modulate({ brightness: rng.range(0.6, 1.1) }),
    );
  }
  const c1 = [rng.range(30, 220), rng.range(30, 200), rng.range(20, 180)];
  const c2 = c1.map((v) => v * rng.range(0.6, 1.2));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="${rng.range(0, 1)}" y2="1"><stop offset="0" stop-color="${hex(c1)}"/><stop offset="1" stop-color="${hex(c2)}"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/></svg>`;
  return rasterOf(sharp(Buffer.from(svg)));
}

/** Lighting across the frame, a glare spot, and sensor noise, in place. */
function light(rng: Rng, frame: Raster, doc: Point[], glare: number, noise: number): void {
  const { width, height, data } = frame;
  const gx = rng.range(-0.4, 0.4) / width;
  const gy = rng.range(-0.4, 0.4) / height;
  const base = rng.range(0.8, 1.1);
  // Glare: a soft bright spot somewhere on the document.
  const s = rng.range(0.1, 0.9);
  const t = rng.range(0.05, 0.95);
  const top: Point = [doc[0]![0] + (doc[1]![0] - doc[0]![0]) * s, doc[0]![1] + (doc[1]![1] - doc[0]![1]) * s];
  const bot: Point = [doc[3]![0] + (doc[2]![0] - doc[3]![0]) * s, doc[3]![1] + (doc[2]![1] - doc[3]![1]) * s];
  const cx = top[0] + (bot[0] - top[0]) * t;
  const cy = top[1] + (bot[1] - top[1]) * t;
  const radius = Math.hypot(doc[1]![0] - doc[0]![0], doc[1]![1] - doc[0]![1]) * rng.range(0.06, 0.2);
  const inv = 1 / (2 * radius * radius);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const gain = base + gx * (x - width / 2) + gy * (y - height / 2);
      const g = glare > 0 ? glare * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) * inv) : 0;
      const grain = noise > 0 ? noise * rng.gauss() : 0;
      for (let c = 0; c < 3; c++) data[o + c] = data[o + c]! * gain + g + grain;
    }
  }
}

export async function syntheticDocument(
  seed: number,
  options: SyntheticOptions = {},
): Promise<SyntheticDocument> {
  const rng = prng(seed * 7919 + 17);
  const kind = options.kind ?? (rng.chance(0.5) ? 'document_back' : 'passport');
  const format = kind === 'document_back' ? 'TD1' : 'TD3';
  const scene = options.scene ?? rng.chance(0.6);
  const data = { ...randomData(rng, kind, options.now ?? new Date()), ...options.data };
  const lines = composeMrz(format, data);

  const landscape = !rng.chance(0.15);
  const width = landscape ? rng.pick([1280, 1600, 1920]) : rng.pick([960, 1080]);
  const height = landscape ? Math.round((width * rng.pick([9, 12])) / 16) : Math.round((width * 16) / 12);
  const aspect = kind === 'document_back' ? 85.6 / 53.98 : 125 / 88;
  // Document width in the frame, and the print resolution that gives it without upscaling.
  const docWidth = Math.min(
    width * (scene ? rng.range(0.6, 0.9) : rng.range(0.88, 0.96)),
    height * (scene ? 0.8 : 0.94) * aspect,
  );
  const ppm = Math.max(8, Math.min(16, (docWidth / (kind === 'document_back' ? 85.6 : 125)) * 1.2));
  const doc = await renderDocument(rng, kind, lines, data, ppm);

  const cx = width / 2 + rng.range(-0.05, 0.05) * width;
  const cy = height / 2 + rng.range(-0.05, 0.05) * height;
  const angle = ((scene ? rng.range(-10, 10) : rng.range(-2, 2)) * Math.PI) / 180;
  const dh = docWidth / aspect;
  const jitter = scene ? 0.05 : 0.004;
  const corners: Point[] = [
    [-docWidth / 2, -dh / 2],
    [docWidth / 2, -dh / 2],
    [docWidth / 2, dh / 2],
    [-docWidth / 2, dh / 2],
  ].map(([x, y]) => {
    const jx = x! + rng.range(-jitter, jitter) * docWidth;
    const jy = y! + rng.range(-jitter, jitter) * dh;
    return [
      cx + jx * Math.cos(angle) - jy * Math.sin(angle),
      cy + jx * Math.sin(angle) + jy * Math.cos(angle),
    ];
  });
  const frame = await background(rng, width, height);
  warpInto(frame, doc, corners);
  let glare = rng.chance(0.4) ? rng.range(40, 140) : 0;
  let noise = rng.range(0, 8);
  if (options.clean) [glare, noise] = [0, 1];
  light(rng, frame, corners, glare, noise);
  let blur = rng.chance(0.6) ? rng.range(0.3, 1.4) : 0;
  let quality = rng.int(55, 95);
  if (options.clean) [blur, quality] = [0, 92];
  let image = sharp(Buffer.from(Uint8ClampedArray.from(frame.data)), {
    raw: { width, height, channels: 4 },
  }).removeAlpha();
  if (blur > 0) image = image.blur(blur);
  const jpeg = await image.jpeg({ quality }).toBuffer();
  return {
    seed,
    kind,
    format,
    scene,
    lines,
    data,
    jpeg,
    width,
    height,
    effects: {
      blur: round(blur),
      noise: round(noise),
      glare: round(glare),
      quality,
      angle: round((angle * 180) / Math.PI),
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
