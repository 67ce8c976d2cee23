"""Export the EMA weights of a checkpoint to ONNX (opset 13, fixed 1x3x120x160 input) and check it.

  /usr/bin/python3 -m models.document.export --ckpt models/document/runs/r1/last.pt \
      --out models/document/document-detector.onnx

Inputs:  image (1, 3, 120, 160) float32 RGB in [0, 1], letterboxed (pad value 114/255).
Outputs: presence (1, 1), inside (1, 4), corners (1, 4, 2), coarse (1, 4, 2), and edge (1, 4, 30, 40) for a
network with the frame-edge head; see model.py and edge_head.py.
The ONNX graph is run with OpenCV's DNN module on random and generated inputs and compared with torch.
With --fp16-min-size N, weight tensors of at least N elements are stored as float16 (onnx_fp16.py) and
the rounding's effect on the outputs is reported.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys

import numpy as np
import torch

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from .evaluate import load_net  # noqa: E402
from .model import Exported  # noqa: E402
from .onnx_fp16 import load_for_opencv, store_float16  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--presence-threshold", type=float, default=0.5,
                    help="raw presence probability that the exported presence maps to 0.5 (calibrate.py)")
    ap.add_argument("--fp16-min-size", type=int,
                    help="store weight tensors of at least this many elements as float16 (onnx_fp16.py)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    net = load_net(args.ckpt)
    ex = Exported(net, args.presence_threshold).eval()
    x = torch.rand(1, 3, 120, 160)
    names = ["presence", "inside", "corners", "coarse"] + (["edge"] if net.edge is not None else [])
    torch.onnx.export(ex, x, args.out, opset_version=13, input_names=["image"],
                      output_names=names, do_constant_folding=True)
    import onnx

    m = onnx.load(args.out)
    onnx.checker.check_model(m)
    m.producer_name = "idv-capture models/document"
    onnx.save(m, args.out)
    import cv2

    cvnet = cv2.dnn.readNetFromONNX(args.out)
    worst = 0.0
    for i in range(4):
        xi = torch.rand(1, 3, 120, 160) if i % 2 == 0 else torch.full((1, 3, 120, 160), 0.45) + 0.1 * torch.rand(1, 3, 120, 160)
        with torch.no_grad():
            ref = [t.numpy() for t in ex(xi)]
        cvnet.setInput(xi.numpy())
        got = cvnet.forward(names)
        for r, g in zip(ref, got):
            worst = max(worst, float(np.abs(r - g.reshape(r.shape)).max()))
    if args.fp16_min_size is not None:
        stored = store_float16(m, args.fp16_min_size)
        onnx.checker.check_model(m)
        onnx.save(m, args.out)
        half = load_for_opencv(args.out)
        rounding = 0.0
        for i in range(4):
            xi = torch.rand(1, 3, 120, 160)
            cvnet.setInput(xi.numpy())
            half.setInput(xi.numpy())
            for r, g in zip(cvnet.forward(names), half.forward(names)):
                rounding = max(rounding, float(np.abs(r - g).max()))
        print(f"{stored} weights stored as float16: max |fp32 - fp16 weights| on the outputs = {rounding:.2e}")
    size = os.path.getsize(args.out)
    sha = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print(f"wrote {args.out}: {size} bytes, sha256 {sha}, max |torch - onnx(cv2)| = {worst:.2e}")
    assert worst < 1e-3, worst


if __name__ == "__main__":
    main()
