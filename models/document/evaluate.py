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
from . import second_look as SL  # noqa: E402
from .model import CornerNet, has_edge_head, has_region_head, is_deeper, is_grown  # noqa: E402
from .onnx_fp16 import load_for_opencv  # noqa: E402

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


class OnnxNet:
    """The exported graph run by OpenCV DNN on one input image (H, W, 3) in 0-255."""

    NAMES = ["presence", "inside", "corners", "coarse"]

    def __init__(self, path: str) -> None:
        import cv2

        self.net = load_for_opencv(path)

    def __call__(self, im: np.ndarray) -> dict[str, np.ndarray]:
        self.net.setInput(im.transpose(2, 0, 1)[None].astype(np.float32) / 255.0)
        return {k: v.reshape(v.shape[1:]) for k, v in zip(self.NAMES, self.net.forward(self.NAMES))}


def run_onnx_cv2(path: str | OnnxNet, images: np.ndarray) -> dict[str, np.ndarray]:
    net = OnnxNet(path) if isinstance(path, str) else path
    outs: dict[str, list[np.ndarray]] = {k: [] for k in OnnxNet.NAMES}
    for im in images:
        for k, v in net(im).items():
            outs[k].append(v)
    return {k: np.stack(v) for k, v in outs.items()}


def first_look_inputs(images: np.ndarray) -> np.ndarray:
    """Frames larger than the input (4:3, letterbox bars drawn in) area-averaged to it, as preprocess.ts does."""
    import cv2

    if images.shape[1:3] == (H, W):
        return images
    return np.stack([cv2.resize(im, (W, H), interpolation=cv2.INTER_AREA) for im in images])


def second_look(net: OnnxNet, images: np.ndarray, presence: np.ndarray, dec: dict[str, np.ndarray],
                first_min: float = SL.FIRST_MIN_PRESENCE, min_presence: float = SL.MIN_PRESENCE,
                margin: float = SL.MARGIN) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The first look (`dec`, decoded at the usual threshold) with the second look's verdict and corners,
    as pipeline.ts and second-look.ts combine them; also the window presence of each frame (NaN where no
    second look was taken). Where a window would cover the whole frame, the first look stands alone."""
    fh, fw = images.shape[1:3]
    out = {k: v.copy() for k, v in dec.items()}
    window_presence = np.full(len(images), np.nan, np.float32)
    for i in np.where(presence >= first_min)[0]:
        turns = SL.quarter_turns(dec["corners"][i])
        win = SL.window(dec["corners"][i], fw, fh, margin, turns)
        if win is None:
            continue
        o = net(SL.sample(images[i], win, turns))
        window_presence[i] = o["presence"][0]
        out["detected"][i] = o["presence"][0] >= min_presence
        inside = o["inside"] >= M.INSIDE_THRESHOLD
        # A corner the window judges outside and places at or beyond the frame's edge is outside it.
        placed = SL.corners_from_window(np.where(inside[:, None], o["corners"], o["coarse"]), win, turns)
        m = SL.CUT_OFF_MARGIN * min(fw, fh)
        at_edge = (placed[:, 0] < m) | (placed[:, 0] > fw - m) | (placed[:, 1] < m) | (placed[:, 1] > fh - m)
        if (~inside & at_edge).any():
            out["inside"][i] = out["inside"][i] & ~(~inside & at_edge)
            out["cut"][i] = True
        if not dec["cut"][i] and inside.all():
            seen = SL.corners_from_window(o["corners"], win, turns)
            if SL.quad_area(seen) >= SL.MIN_AREA_RATIO * SL.quad_area(dec["corners"][i]):
                out["corners"][i] = seen
    return out, window_presence


def check(fig: dict) -> dict:
    res = {}
    for key, (op, v) in TARGETS.items():
        a, b = key.split(".")
        x = fig.get(a, {}).get(b)
        res[key] = {"value": x, "target": f"{op} {v}",
                    "met": (x is not None and (x >= v if op == ">=" else x <= v))}
    return res


def load_net(ckpt: str) -> CornerNet:
    ck = torch.load(ckpt, map_location="cpu")
    net = CornerNet(grown=is_grown(ck["ema"]), edge_head=has_edge_head(ck["ema"]), deeper=is_deeper(ck["ema"]),
                    region_head=has_region_head(ck["ema"]))
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
    ap.add_argument("--second-look", action="store_true",
                    help="also take the second look (ONNX only); its figures become the main ones")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.second_look and not args.onnx:
        ap.error("--second-look needs --onnx")
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
        fh, fw = d["images"].shape[1:3]
        lab = D.labels(d, fw, fh)
        t = time.time()
        small = first_look_inputs(d["images"])
        onnx = OnnxNet(args.onnx) if args.onnx else None
        out = run_onnx_cv2(onnx, small) if onnx else run_torch(net, small)
        dec = M.decode(out["presence"], out["inside"], out["corners"], out["coarse"], fw, fh, args.presence_threshold)
        fig = M.figures(lab, d["corners"], dec, d.get("neg_kind"))
        if args.second_look and onnx:
            first = fig
            dec, _ = second_look(onnx, d["images"], out["presence"][:, 0], dec)
            fig = M.figures(lab, d["corners"], dec, d.get("neg_kind"))
            fig["second_look"] = {"margin": SL.MARGIN, "first_min_presence": SL.FIRST_MIN_PRESENCE,
                                  "min_presence": SL.MIN_PRESENCE, "min_area_ratio": SL.MIN_AREA_RATIO,
                                  "upright": True, "cut_off_margin": SL.CUT_OFF_MARGIN}
            fig["first_look_only"] = {k: first[k] for k in ("fill_ge_30", "fill_10_30", "fill_lt_10", "negatives", "cut_off")}
        fig["frame_size"] = [fw, fh]
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
