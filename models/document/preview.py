"""Contact sheet of generated frames with their labelled corners (TL red, TR green, BR blue, BL yellow).

  /usr/bin/python3 -m models.document.preview --renderer a --seed 7 --n 48 --out /tmp/sheet.png
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import cv2
import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from .generate import render  # noqa: E402

COLS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--renderer", default="a")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, default=48)
    ap.add_argument("--out", default="/tmp/sheet.png")
    ap.add_argument("--scale", type=int, default=2)
    a = ap.parse_args()
    tiles = []
    t0 = time.time()
    for i in range(a.n):
        f = render(a.renderer, a.seed * 10_000_000 + i, 160, 120)
        im = cv2.resize(f.image, None, fx=a.scale, fy=a.scale, interpolation=cv2.INTER_NEAREST)
        im = cv2.copyMakeBorder(im, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=(0, 0, 0))
        if f.present:
            for k, c in enumerate(f.corners):
                p = (int(c[0] * a.scale) + 20, int(c[1] * a.scale) + 20)
                cv2.circle(im, p, 4, COLS[k], -1)
        tiles.append(im)
    dt = (time.time() - t0) / a.n
    cols = 6
    rows = [np.hstack(tiles[r * cols:(r + 1) * cols]) for r in range(len(tiles) // cols)]
    cv2.imwrite(a.out, np.vstack(rows)[..., ::-1])
    print(f"{1000 * dt:.1f} ms/frame -> {a.out}")


if __name__ == "__main__":
    main()
