"""Generate a dataset of synthetic frames in shards (resumable, deterministic from --seed).

  /usr/bin/python3 -m models.document.generate --renderer a --seed 1 --count 60000 --out models/document/data/a_s1

Each shard `NNNNN.npz` holds `images` (n, H, W, 3) uint8 RGB, `corners` (n, 4, 2) float32 in
output pixels (continuous: pixel i spans [i, i+1]), `present` (n,), `kind` (n,), `content` (n, 4)
and `neg_kind` (n,). Frame i of a split has the seed `seed * 10_000_000 + i`, so any shard can be
re-made alone and a split can be extended later. Existing shards are skipped (resume).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from .synth import renderer_a, renderer_b  # noqa: E402


def render(renderer: str, seed: int, w: int, h: int):
    mod = renderer_a if renderer == "a" else renderer_b
    return mod.render_frame(seed, w, h)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--renderer", choices=["a", "b"], default="a")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shard", type=int, default=1000)
    ap.add_argument("--width", type=int, default=160)
    ap.add_argument("--height", type=int, default=120)
    ap.add_argument("--neg-rate", type=float, help="renderer A: share of frames without a document (default 0.16)")
    ap.add_argument("--focus", choices=sorted(renderer_a.FOCUS_ODDS),
                    help="renderer A: make the pipeline's worst failure kinds common (renderer_a.SCENE_ODDS)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.neg_rate is not None:
        renderer_a.NEG_RATE = args.neg_rate
    if args.focus:
        renderer_a.SCENE_ODDS.update(renderer_a.FOCUS_ODDS[args.focus])
    t_all = time.time()
    n_shards = (args.count + args.shard - 1) // args.shard
    for s in range(n_shards):
        path = os.path.join(args.out, f"{s:05d}.npz")
        if os.path.exists(path):
            continue
        t0 = time.time()
        lo, hi = s * args.shard, min(args.count, (s + 1) * args.shard)
        frames = [render(args.renderer, args.seed * 10_000_000 + i, args.width, args.height) for i in range(lo, hi)]
        tmp = path + ".tmp.npz"
        np.savez(tmp, images=np.stack([f.image for f in frames]), corners=np.stack([f.corners for f in frames]),
                 present=np.array([f.present for f in frames]), kind=np.array([f.kind for f in frames], np.int8),
                 content=np.stack([f.content for f in frames]),
                 neg_kind=np.array([f.neg_kind for f in frames], np.int8))
        os.replace(tmp, path)
        dt = time.time() - t0
        print(f"shard {s} ({hi - lo} frames) {dt:.1f}s = {1000 * dt / (hi - lo):.1f} ms/frame", flush=True)
    print(f"done in {time.time() - t_all:.0f}s", flush=True)


if __name__ == "__main__":
    main()
