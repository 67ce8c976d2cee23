"""Choose the second look's two presence thresholds on the calibration seed (never the evaluation sets).

  nice -n 19 /usr/bin/python3 -m models.document.calibrate_second_look --onnx models/document/document-detector.onnx \\
      --set models/document/data/a_calib640_s5 --out models/document/calibration-second-look.json

For each pair (exported presence a first look needs to earn a second look, window presence the document
then needs), false detections and the share of documents found by size; the chosen pair finds the most
large documents (fill >= 30 %) with at most --max-false-pct false detections, then the fewest false
detections, then the most documents of 10-30 % and cut off.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from . import data as D  # noqa: E402
from . import metrics as M  # noqa: E402
from .evaluate import OnnxNet, first_look_inputs, run_onnx_cv2, second_look  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--set", required=True)
    ap.add_argument("--max-false-pct", type=float, default=2.0)
    ap.add_argument("--out")
    args = ap.parse_args()
    d = D.load_dir(args.set)
    fh, fw = d["images"].shape[1:3]
    lab = D.labels(d, fw, fh)
    net = OnnxNet(args.onnx)
    out = run_onnx_cv2(net, first_look_inputs(d["images"]))
    presence = out["presence"][:, 0]
    dec = M.decode(out["presence"], out["inside"], out["corners"], out["coarse"], fw, fh)
    lowest = 0.05
    looked, window_presence = second_look(net, d["images"], presence, dec, first_min=lowest, min_presence=0.0)
    taken = ~np.isnan(window_presence)
    whole, fill, neg = lab["whole"], lab["fill"], ~lab["present"]
    buckets = {"ge30": whole & (fill >= 0.3), "10_30": whole & (fill >= 0.1) & (fill < 0.3),
               "cut": lab["present"] & ~whole}
    rows = []
    for first_min in (0.05, 0.1, 0.2, 0.3, 0.5):
        for min_presence in (0.1, 0.2, 0.3, 0.5, 0.7, 0.9):
            det = np.where(taken & (presence >= first_min), window_presence >= min_presence, presence >= 0.5)
            rows.append({"first_min_presence": first_min, "min_presence": min_presence,
                         "false_pct": round(100 * float(det[neg].mean()), 2),
                         **{f"detected_{k}_pct": round(100 * float(det[m].mean()), 2) for k, m in buckets.items()}})
            print(json.dumps(rows[-1]), flush=True)
    ok = [r for r in rows if r["false_pct"] <= args.max_false_pct]
    chosen = max(ok, key=lambda r: (r["detected_ge30_pct"], -r["false_pct"], r["detected_10_30_pct"] + r["detected_cut_pct"]))
    print("chosen", json.dumps(chosen), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"set": os.path.relpath(args.set, os.getcwd()), "frames": int(len(presence)),
                       "negatives": int(neg.sum()), "rows": rows, "chosen": chosen}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
