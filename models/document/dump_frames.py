"""Write generated frames as raw RGB plus a JSON label file, for tests in other languages.

  /usr/bin/python3 -m models.document.dump_frames --renderer a --seed 5 --count 200 --width 160 --height 120 --out DIR

DIR/frames.rgb holds count × height × width × 3 bytes; DIR/labels.json holds, per frame, present, kind,
neg_kind, corners (output pixels, continuous) and content (x0, y0, x1, y1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import cv2

cv2.setNumThreads(1)

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from .generate import render  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--renderer", choices=["a", "b"], default="a")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--width", type=int, default=160)
    ap.add_argument("--height", type=int, default=120)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    labels = []
    with open(os.path.join(a.out, "frames.rgb"), "wb") as f:
        for i in range(a.count):
            fr = render(a.renderer, a.seed * 10_000_000 + i, a.width, a.height)
            f.write(fr.image.tobytes())
            labels.append({"present": bool(fr.present), "kind": int(fr.kind), "neg_kind": int(fr.neg_kind),
                           "corners": fr.corners.round(3).tolist(), "content": fr.content.round(3).tolist()})
    with open(os.path.join(a.out, "labels.json"), "w") as f:
        json.dump({"width": a.width, "height": a.height, "count": a.count, "frames": labels}, f)


if __name__ == "__main__":
    main()
