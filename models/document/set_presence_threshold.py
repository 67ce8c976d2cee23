"""Moves the presence threshold folded into an exported detector, leaving every weight as it is.

  /usr/bin/python3 -m models.document.set_presence_threshold --onnx models/document/document-detector.onnx \
    --threshold 0.90 --out models/document/document-detector.onnx

export.py folds the threshold in as one constant, logit(threshold), subtracted from the presence logit
(model.Exported). Rewriting that constant gives exactly the graph export.py would write from the same
weights at the new threshold, without the checkpoint: a rebuilt one (warmstart.py) re-rounds the
float16 weights and moves a borderline frame or two.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import onnx
from onnx import numpy_helper


def presence_shift_constant(model: onnx.ModelProto) -> onnx.NodeProto:
    """The Constant node that the top-level Sub (presence logit minus the shift) reads."""
    constants = {o: n for n in model.graph.node if n.op_type == "Constant" for o in n.output}
    subs = [n for n in model.graph.node if n.op_type == "Sub" and not n.name.startswith("/net/")]
    if len(subs) != 1 or subs[0].input[1] not in constants:
        raise SystemExit("no single presence shift (Sub of a Constant outside the network) in this graph")
    return constants[subs[0].input[1]]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if not 0 < args.threshold < 1:
        raise SystemExit("--threshold must lie between 0 and 1")
    model = onnx.load(args.onnx)
    node = presence_shift_constant(model)
    value = next(a for a in node.attribute if a.name == "value")
    old = float(numpy_helper.to_array(value.t))
    shift = np.array(math.log(args.threshold / (1 - args.threshold)), np.float32)
    value.t.CopyFrom(numpy_helper.from_array(shift.reshape(numpy_helper.to_array(value.t).shape), value.t.name))
    onnx.save(model, args.out)
    print(f"presence threshold {1 / (1 + math.exp(-old)):.4f} -> {args.threshold:.4f} in {args.out}")


if __name__ == "__main__":
    main()
