"""Choose the presence threshold on a calibration set (renderer A, a seed used neither for training nor
for evaluation), so that evaluation figures are not tuned on the evaluation sets themselves.

  nice -n 19 /usr/bin/python3 -m models.document.calibrate --ckpt models/document/runs/r1/last.pt \
      --set models/document/data/a_calib_s5 --max-false-pct 1.5

Prints, for a range of thresholds, false detections on frames without a document (all, and the worst
kind of hard negative) and the share of whole documents detected by size; then the lowest threshold
whose false-detection rate is at most --max-false-pct. `export.py --presence-threshold T` moves the
decision point of the exported graph to T, so runtimes keep comparing `presence` with 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from . import data as D  # noqa: E402
from .evaluate import load_net, run_onnx_cv2, run_torch  # noqa: E402

W, H = 160, 120
NEG_NAMES = {0: "plain", 1: "paper", 2: "other_card", 3: "screen", 4: "photo_fixture", 5: "clutter"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt")
    ap.add_argument("--onnx")
    ap.add_argument("--set", required=True)
    ap.add_argument("--max-false-pct", type=float, default=1.5)
    ap.add_argument("--out")
    args = ap.parse_args()
    torch.set_num_threads(1)
    d = D.load_dir(args.set)
    lab = D.labels(d, W, H)
    out = run_onnx_cv2(args.onnx, d["images"]) if args.onnx else run_torch(load_net(args.ckpt), d["images"])
    pres = out["presence"][:, 0]
    neg = ~lab["present"]
    nk = d["neg_kind"]
    whole, fill = lab["whole"], lab["fill"]
    buckets = {"ge30": whole & (fill >= 0.3), "10_30": whole & (fill >= 0.1) & (fill < 0.3), "lt10": whole & (fill < 0.1),
               "cut": lab["present"] & ~whole}
    rows = []
    for t in [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995]:
        det = pres >= t
        by_kind = {NEG_NAMES.get(int(k), str(k)): round(100 * float(det[neg & (nk == k)].mean()), 2)
                   for k in np.unique(nk[neg])}
        row = {"threshold": t, "false_pct": round(100 * float(det[neg].mean()), 2), "false_by_kind": by_kind,
               **{f"detected_{k}_pct": round(100 * float(det[m].mean()), 2) for k, m in buckets.items() if m.any()}}
        rows.append(row)
        print(json.dumps(row), flush=True)
    ok = [r for r in rows if r["false_pct"] <= args.max_false_pct]
    chosen = ok[0] if ok else rows[-1]
    print("chosen", json.dumps(chosen), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"set": os.path.relpath(args.set, os.getcwd()), "frames": int(len(pres)), "rows": rows,
                       "chosen": chosen}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
