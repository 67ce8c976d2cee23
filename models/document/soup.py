"""Average the EMA weights of two checkpoints of the same network (a "model soup").

  /usr/bin/python3 -m models.document.soup --a models/document/runs/warm4/init.pt \
      --b models/document/runs/g4/last.pt --share-b 0.5 --out models/document/runs/g4s/soup.pt

Both must be fine-tuned from the same weights (here g4 from g2), so that their weights lie in one basin and
the average is a network of its own rather than noise: run g4 continued from g2's, and the average of the
two put fewer large documents over 4 % of the diagonal than either (models/document/README.md, run g4).
Floating-point tensors are averaged, BatchNorm's running statistics included; integer counters are b's.
The result is a checkpoint that calibrate.py, evaluate.py and export.py read like any other.
"""

from __future__ import annotations

import argparse
import os

import torch


def soup(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor], share_b: float) -> dict[str, torch.Tensor]:
    if a.keys() != b.keys():
        raise ValueError("the checkpoints hold different networks")
    return {k: a[k] * (1 - share_b) + v * share_b if v.is_floating_point() else v for k, v in b.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True, help="checkpoint (its EMA weights)")
    ap.add_argument("--b", required=True, help="checkpoint fine-tuned from the same weights as --a")
    ap.add_argument("--share-b", type=float, default=0.5)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    weights = soup(torch.load(args.a, map_location="cpu")["ema"], torch.load(args.b, map_location="cpu")["ema"],
                   args.share_b)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save({"net": weights, "ema": weights, "step": 0, "source": f"soup of {args.a} and {args.b}, b's share "
                f"{args.share_b}"}, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
