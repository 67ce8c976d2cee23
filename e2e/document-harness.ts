/**
 * Node side of the document harness, for e2e/document-*.spec.ts and bench/document.ts:
 * - builds e2e/document-harness-page.ts with Vite (same worker format and hashed assets as the hosted
 *   page) into e2e/.artifacts/document-harness;
 * - serves it under the hosted page's Content-Security-Policy, with the shared fixtures and a folder of
 *   generated scenes;
 * - generates held-out scenes and a fake-camera card video with the project's scene generator
 *   (models/document, Debian's Python with OpenCV; never the training seed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import sharp from 'sharp';
import { build } from 'vite';
import { hostedPagePolicy } from '../src/server/routes/hosted.js';
import { FIXTURES } from '../src/server/test-support/images.js';

const ROOT = resolve(import.meta.dirname, '..');
export const DOCUMENT_HARNESS_DIR = resolve(import.meta.dirname, '.artifacts/document-harness');
export const DOCUMENT_MODEL = join(ROOT, 'models/document/document-detector.onnx');
const PYTHON = '/usr/bin/python3';

/** Fails loudly (never skips) when what the document browser tests need is missing. */
export function requireDocumentPrerequisites(): void {
  if (!existsSync(DOCUMENT_MODEL)) {
    throw new Error(`the document model ${DOCUMENT_MODEL} is missing (see models/document/README.md)`);
  }
  if (spawnSync(PYTHON, ['-c', 'import cv2, PIL, numpy']).status !== 0) {
    throw new Error(
      `${PYTHON} with cv2, PIL and numpy is needed to generate document scenes ` +
        '(install python3-numpy python3-opencv python3-pil fonts-ocr-b)',
    );
  }
}

export async function buildDocumentHarness(): Promise<void> {
  await build({
    configFile: false,
    root: import.meta.dirname,
    base: '/',
    logLevel: 'warn',
    build: {
      outDir: DOCUMENT_HARNESS_DIR,
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      sourcemap: false,
      rolldownOptions: {
        input: { harness: join(import.meta.dirname, 'document-harness-page.ts') },
        output: { entryFileNames: 'harness.js' },
      },
    },
    worker: { format: 'es' },
  });
}

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>idv document harness</title></head>
  <body><video id="camera" playsinline muted></video><script type="module" src="/harness.js"></script></body>
</html>
`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.onnx': 'application/octet-stream',
};

export interface DocumentHarnessServer {
  readonly url: string;
  /** Bytes served per path, for download-size figures. */
  readonly served: Map<string, number>;
  close(): Promise<void>;
}

/** Serves the built harness at `/`, fixtures at `/fixtures/`, and `scenes` (if given) at `/scenes/`. */
export async function startDocumentHarnessServer(scenes?: string): Promise<DocumentHarnessServer> {
  if (!existsSync(join(DOCUMENT_HARNESS_DIR, 'harness.js'))) {
    throw new Error('the document harness is not built (buildDocumentHarness)');
  }
  const served = new Map<string, number>();
  const roots: [string, string][] = [
    ['/fixtures/', FIXTURES],
    ...(scenes ? ([['/scenes/', scenes]] as [string, string][]) : []),
    ['/', DOCUMENT_HARNESS_DIR],
  ];
  const server: Server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    if (pathname === '/') {
      response.writeHead(200, {
        'content-type': TYPES['.html']!,
        'content-security-policy': hostedPagePolicy([]),
      });
      response.end(PAGE);
      return;
    }
    const [prefix, root] = roots.find(([p]) => pathname.startsWith(p))!;
    const file = normalize(join(root, decodeURIComponent(pathname.slice(prefix.length))));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    served.set(pathname, statSync(file).size);
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export interface SceneLabel {
  readonly present: boolean;
  /** TL, TR, BR, BL in frame pixels (continuous), outside the frame for cut-off documents. */
  readonly corners: number[][];
  /** Camera image inside the frame: x0, y0, x1, y1. */
  readonly content: number[];
}

export interface Scenes {
  readonly width: number;
  readonly height: number;
  readonly labels: SceneLabel[];
  readonly rgb: Buffer;
}

/** Renders `count` scenes with the project's generator (raw RGB plus labels) into `dir`. */
export function renderScenes(
  dir: string,
  options: { renderer: 'a' | 'b'; seed: number; count: number; width: number; height: number },
): Scenes {
  mkdirSync(dir, { recursive: true });
  const { renderer, seed, count, width, height } = options;
  execFileSync(
    PYTHON,
    ['-m', 'models.document.dump_frames', '--renderer', renderer, '--seed', String(seed)].concat([
      '--count',
      String(count),
      '--width',
      String(width),
      '--height',
      String(height),
      '--out',
      dir,
    ]),
    { cwd: ROOT, stdio: 'ignore' },
  );
  const labels = (JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as { frames: SceneLabel[] })
    .frames;
  return { width, height, labels, rgb: readFileSync(join(dir, 'frames.rgb')) };
}

export function sceneRgb(s: Scenes, i: number): Buffer {
  const n = s.width * s.height * 3;
  return s.rgb.subarray(i * n, (i + 1) * n);
}

/** Writes scene `i` as `dir/name`. */
export async function writeScenePng(s: Scenes, i: number, file: string): Promise<void> {
  await sharp(sceneRgb(s, i), { raw: { width: s.width, height: s.height, channels: 3 } })
    .png()
    .toFile(file);
}

/** Whether the document of a scene is wholly inside the frame, and the share of the frame it fills. */
export function sceneGeometry(s: Scenes, i: number): { whole: boolean; fill: number } {
  const l = s.labels[i]!;
  if (!l.present) return { whole: false, fill: 0 };
  const c = l.corners;
  const [x0, y0, x1, y1] = l.content as [number, number, number, number];
  const whole = c.every(([x, y]) => x! >= x0 && x! <= x1 && y! >= y0 && y! <= y1);
  let area = 0;
  for (let k = 0; k < 4; k++) {
    const [ax, ay] = c[k] as [number, number];
    const [bx, by] = c[(k + 1) % 4] as [number, number];
    area += ax * by - bx * ay;
  }
  return { whole, fill: Math.abs(area) / 2 / ((x1 - x0) * (y1 - y0)) };
}

export const CARD_VIDEO = {
  width: 640,
  height: 480,
  /** Held-out seed of the scene generator the card scene is picked from (training uses seed 1). */
  seed: 41,
  file: resolve(import.meta.dirname, '.artifacts/videos/document-card-640x480.y4m'),
  label: resolve(import.meta.dirname, '.artifacts/videos/document-card-640x480.json'),
} as const;

/**
 * The fake-camera video of the document tests and bench: the first generated scene (held-out seed) whose
 * card lies wholly in the frame and fills 35–70 % of it, as 640×480 Y4M (Chromium loops it at 30 fps).
 * Synchronous, so a spec can build it before its browser is launched. Returns the scene's label.
 */
export function buildCardVideo(): SceneLabel {
  if (existsSync(CARD_VIDEO.file) && existsSync(CARD_VIDEO.label)) {
    return JSON.parse(readFileSync(CARD_VIDEO.label, 'utf8')) as SceneLabel;
  }
  const dir = join(ROOT, 'e2e/.artifacts/document-video-scenes');
  const { seed, width, height } = CARD_VIDEO;
  const s = renderScenes(dir, { renderer: 'a', seed, count: 40, width, height });
  const i = s.labels.findIndex((_, k) => {
    const g = sceneGeometry(s, k);
    return g.whole && g.fill >= 0.35 && g.fill <= 0.7;
  });
  if (i < 0) throw new Error('no card scene of the wanted size among the generated frames');
  const header = Buffer.from(`YUV4MPEG2 W${s.width} H${s.height} F30:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), rgbToI420(sceneRgb(s, i), s.width, s.height)]);
  mkdirSync(resolve(CARD_VIDEO.file, '..'), { recursive: true });
  writeFileSync(CARD_VIDEO.file, Buffer.concat([header, frame, frame, frame, frame]));
  writeFileSync(CARD_VIDEO.label, JSON.stringify(s.labels[i]));
  return s.labels[i]!;
}

/** BT.601 limited range, 4:2:0 (what Chromium's Y4M reader assumes). */
function rgbToI420(rgb: Buffer, width: number, height: number): Buffer {
  const ySize = width * height;
  const cw = width / 2;
  const ch = height / 2;
  const out = Buffer.alloc(ySize + 2 * cw * ch);
  for (let i = 0; i < ySize; i++) {
    out[i] = Math.round(16 + 0.257 * rgb[i * 3]! + 0.504 * rgb[i * 3 + 1]! + 0.098 * rgb[i * 3 + 2]!);
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < 4; k++) {
        const p = ((2 * y + (k >> 1)) * width + 2 * x + (k & 1)) * 3;
        r += rgb[p]! / 4;
        g += rgb[p + 1]! / 4;
        b += rgb[p + 2]! / 4;
      }
      out[ySize + y * cw + x] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      out[ySize + cw * ch + y * cw + x] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return out;
}
