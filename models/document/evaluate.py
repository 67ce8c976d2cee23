"""Evaluate a checkpoint (EMA weights) or the exported ONNX model on held-out sets of both renderers.

  nice -n 19 /usr/bin/python3 -m models.document.evaluate --ckpt models/document/runs/r1/last.pt \
      --sets a=models/document/data/a_eval_s3 b=models/document/data/b_eval_s4 --out models/document/eval.json

Figures by document size (documents wholly in the frame, fill = quad area / camera image area), false
detections on frames without a document (by kind of hard negative), and the cut-off flag. Corner error is
the distance to the true corner in % of the document diagonal, averaged over the four corners of a frame;
mean and p95 are over frames of detected documents.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from . import data as D  # noqa: E402
from . import metrics as M  # noqa: E402
from .model import CornerNet  # noqa: E402

W, H = 160, 120
TARGETS = {
    "fill_ge_30.detected_pct": (">=", 99.0),
    "fill_ge_30.corner_error_mean_pct": ("<=", 1.5),
    "fill_ge_30.corner_error_p95_pct": ("<=", 4.0),
    "fill_10_30.corner_error_mean_pct": ("<=", 3.0),
    "negatives.false_detection_pct": ("<=", 2.0),
    "cut_off.flagged_pct": (">=", 97.0),
    "cut_off.whole_wrongly_flagged_pct": ("<=", 2.0),
}


def run_torch(net: torch.nn.Module, images: np.ndarray, bs: int = 200) -> dict[str, np.ndarray]:
    outs: dict[str, list[np.ndarray]] = {"presence": [], "inside": [], "corners": [], "coarse": []}
    with torch.no_grad():
        for i in range(0, len(images), bs):
            o = net(D.to_input(images[i:i + bs]))
            outs["presence"].append(torch.sigmoid(o["presence_logit"]).numpy())
            outs["inside"].append(torch.sigmoid(o["inside_logit"]).numpy())
            outs["corners"].append(o["corners"].numpy())
            outs["coarse"].append(o["coarse"].numpy())
    return {k: np.concatenate(v) for k, v in outs.items()}


def run_onnx_cv2(path: str, images: np.ndarray) -> dict[str, np.ndarray]:
    import cv2

    net = cv2.dnn.readNetFromONNX(path)
    names = ["presence", "inside", "corners", "coarse"]
    outs: dict[str, list[np.ndarray]] = {k: [] for k in names}
    for im in images:
        net.setInput(im.transpose(2, 0, 1)[None].astype(np.float32) / 255.0)
        res = net.forward(names)
        for k, v in zip(names, res):
            outs[k].append(v.reshape((1,) + v.shape[1:]))
    return {k: np.concatenate(v) for k, v in outs.items()}


def check(fig: dict) -> dict:
    res = {}
    for key, (op, v) in TARGETS.items():
        a, b = key.split(".")
        x = fig.get(a, {}).get(b)
        res[key] = {"value": x, "target": f"{op} {v}",
                    "met": (x is not None and (x >= v if op == ">=" else x <= v))}
    return res


def load_net(ckpt: str) -> CornerNet:
    net = CornerNet()
    ck = torch.load(ckpt, map_location="cpu")
    net.load_state_dict(ck["ema"])
    net.eval()
    return net


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt")
    ap.add_argument("--onnx")
    ap.add_argument("--sets", nargs="+", required=True, help="name=folder")
    ap.add_argument("--presence-threshold", type=float, default=M.PRESENCE_THRESHOLD)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out")
    args = ap.parse_args()
    torch.set_num_threads(1)
    report: dict = {"model": args.onnx or args.ckpt, "presence_threshold": args.presence_threshold,
                    "inside_threshold": M.INSIDE_THRESHOLD, "input": [1, 3, H, W]}
    if args.ckpt:
        ck = torch.load(args.ckpt, map_location="cpu")
        report["step"] = ck.get("step")
        net = load_net(args.ckpt)
    for spec in args.sets:
        name, folder = spec.split("=", 1)
        d = D.load_dir(folder, limit=args.limit)
        lab = D.labels(d, W, H)
        t = time.time()
        out = run_onnx_cv2(args.onnx, d["images"]) if args.onnx else run_torch(net, d["images"])
        dec = M.decode(out["presence"], out["inside"], out["corners"], out["coarse"], W, H, args.presence_threshold)
        fig = M.figures(lab, d["corners"], dec, d.get("neg_kind"))
        fig["set"] = os.path.relpath(folder, os.getcwd())
        fig["targets"] = check(fig)
        fig["seconds"] = round(time.time() - t, 1)
        report[name] = fig
        print(name, json.dumps(fig, indent=1), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
