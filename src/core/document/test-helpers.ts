/** Shared builders for the document tests (not part of the public API). */

import type { DocumentDetection } from './decode.js';
import type { Quad } from './geometry.js';

/** An axis-aligned document of the given size centred at (cx, cy). */
export function rectQuad(cx: number, cy: number, w: number, h: number): Quad {
  return [
    { x: cx - w / 2, y: cy - h / 2 },
    { x: cx + w / 2, y: cy - h / 2 },
    { x: cx + w / 2, y: cy + h / 2 },
    { x: cx - w / 2, y: cy + h / 2 },
  ];
}

export function detection(
  corners: Quad,
  confidence = 0.9,
  inside = [true, true, true, true],
): DocumentDetection {
  return {
    present: confidence >= 0.5,
    confidence,
    corners,
    inside: [inside[0]!, inside[1]!, inside[2]!, inside[3]!],
    insideScores: [0.9, 0.9, 0.9, 0.9],
  };
}

/** Size of the synthetic scenes the edge tests draw. */
export const SCENE_WIDTH = 640;
export const SCENE_HEIGHT = 480;
const W = SCENE_WIDTH;
const H = SCENE_HEIGHT;

/** Whether (x, y) lies inside the convex quad (clockwise on screen). */
export function insideQuad(q: Quad, x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    if ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) < 0) return false;
  }
  return true;
}

export interface Scene {
  quad: Quad;
  document?: number;
  background?: number;
  /** Extra shapes painted over the scene, as (x, y) → luma or undefined. */
  paint?: (x: number, y: number) => number | undefined;
}

/** An RGB frame with the document drawn at sub-pixel precision (4 × 4 samples a pixel, area average). */
export function render(scene: Scene): Uint8Array {
  const px = new Uint8Array(W * H * 3);
  const doc = scene.document ?? 200;
  const bg = scene.background ?? 70;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let sum = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = x + (sx + 0.5) / 4;
          const v = y + (sy + 0.5) / 4;
          sum += scene.paint?.(u, v) ?? (insideQuad(scene.quad, u, v) ? doc : bg);
        }
      }
      const l = Math.round(sum / 16);
      px.set([l, l, l], (y * W + x) * 3);
    }
  }
  return px;
}

/** A card of ID-1 aspect, 300 px wide, centred and turned by `angle` radians. */
export function card(angle: number, width = 300): Quad {
  const h = width / 1.586;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const pts = [
    [-width / 2, -h / 2],
    [width / 2, -h / 2],
    [width / 2, h / 2],
    [-width / 2, h / 2],
  ].map(([x, y]) => ({ x: 320 + x! * c - y! * s, y: 240 + x! * s + y! * c }));
  return [pts[0]!, pts[1]!, pts[2]!, pts[3]!];
}

/** A rendered scene as the edge searches take it. */
export const sceneFrame = (pixels: Uint8Array) => ({ pixels, width: W, height: H, channels: 3 as const });
