"""Appends the frame-edge head (edge_head.py) to an exported detector as a fifth output, `edge`.

  /usr/bin/python3 -m models.document.append_edge_head --onnx models/document/document-detector.onnx \
    --head models/document/runs/edge1/head.pt --out models/document/document-detector.onnx

The head was trained on the frozen detector's decoder features (train_edge.py), so it reads the tensor
the corner heatmaps read (the input of `/net/heat/Conv`) and adds nodes after it; no existing node or
weight changes, so the four outputs the product already reads come out bit for bit as before.
`edge` is (1, 4, 30, 40): per edge of the input (top, right, bottom, left) and cell of the 1/4 map, the
probability that the document crosses the camera image's edge there (read on the border cells only).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from .edge_head import HYPERCOLUMN, EdgeHead, hypercolumn  # noqa: E402
from .onnx_fp16 import load_for_opencv  # noqa: E402

OUTPUTS = ["presence", "inside", "corners", "coarse"]


def decoder_features(model: onnx.ModelProto) -> str:
    heat = [n for n in model.graph.node if n.op_type == "Conv" and n.name == "/net/heat/Conv"]
    if len(heat) != 1:
        raise SystemExit("no /net/heat/Conv in this graph: not a document detector export")
    return heat[0].input[0]


def stage_output(model: onnx.ModelProto, stage: str) -> str:
    """The last ReLU output of an encoder stage ("s1" ... "s4"): its features at 1/4 ... 1/32."""
    outs = [o for n in model.graph.node if n.op_type == "Relu" and n.name.startswith(f"/net/{stage}/")
            for o in n.output]
    if not outs:
        raise SystemExit(f"no {stage} stage in this graph")
    return outs[-1]


def columns(model: onnx.ModelProto) -> list[tuple[str, int, int]]:
    """The hypercolumn's sources in this graph (edge_head.HYPERCOLUMN): (tensor, channels, upsampling)."""
    sources = [decoder_features(model)] + [stage_output(model, f"s{k}") for k in range(1, 5)]
    return [(src, ch, up) for src, (ch, up) in zip(sources, HYPERCOLUMN)]


def append(model: onnx.ModelProto, head: EdgeHead) -> None:
    """The head's first 1 x 1 convolution over the hypercolumn is the sum of one per source, each
    computed at its own scale and then repeated up to 1/4 (nearest, as the decoder upsamples), cropped
    to the 30 x 40 map."""
    g = model.graph
    if any(o.name == "edge" for o in g.output):
        raise SystemExit("this graph already has an edge output")
    w1 = head.hidden.weight.detach().numpy().astype(np.float32)
    cols = columns(model)
    used, start = [], 0
    for src, ch, up in cols:
        if start >= w1.shape[1]:
            break
        used.append((src, ch, up, start))
        start += ch
    if start != w1.shape[1]:
        raise SystemExit(f"head reads {w1.shape[1]} channels, which is no prefix of the hypercolumn")
    init = g.initializer
    init.append(numpy_helper.from_array(head.hidden.bias.detach().numpy().astype(np.float32), "edge.hidden.bias"))
    init.append(numpy_helper.from_array(head.out.weight.detach().numpy().astype(np.float32), "edge.out.weight"))
    init.append(numpy_helper.from_array(head.out.bias.detach().numpy().astype(np.float32), "edge.out.bias"))
    nodes, parts = [], []
    for k, (src, ch, up, at) in enumerate(used):
        wname = f"edge.hidden.weight.{k}"
        init.append(numpy_helper.from_array(np.ascontiguousarray(w1[:, at:at + ch]), wname))
        inputs = [src, wname] + (["edge.hidden.bias"] if k == 0 else [])
        part = f"edge_part{k}"
        nodes.append(helper.make_node("Conv", inputs, [part], name=f"/edge/part{k}/Conv", kernel_shape=[1, 1]))
        if up > 1:
            sc = f"edge.scales.{k}"
            init.append(numpy_helper.from_array(np.array([1, 1, up, up], np.float32), sc))
            nodes.append(helper.make_node("Resize", [part, "", sc], [part + "_up"], name=f"/edge/part{k}/Resize",
                                          mode="nearest", coordinate_transformation_mode="asymmetric",
                                          nearest_mode="floor"))
            for nm, vals in (("starts", [0, 0]), ("ends", [30, 40]), ("axes", [2, 3])):
                init.append(numpy_helper.from_array(np.array(vals, np.int64), f"edge.crop.{k}.{nm}"))
            nodes.append(helper.make_node("Slice", [part + "_up", f"edge.crop.{k}.starts", f"edge.crop.{k}.ends",
                                                    f"edge.crop.{k}.axes"], [part + "_crop"],
                                          name=f"/edge/part{k}/Slice"))
            part += "_crop"
        parts.append(part)
    total = parts[0]
    for k, p in enumerate(parts[1:], 1):
        nodes.append(helper.make_node("Add", [total, p], [f"edge_sum{k}"], name=f"/edge/Add{k}"))
        total = f"edge_sum{k}"
    nodes += [
        helper.make_node("Relu", [total], ["edge_hidden_relu"], name="/edge/Relu"),
        helper.make_node("Conv", ["edge_hidden_relu", "edge.out.weight", "edge.out.bias"], ["edge_logits"],
                         name="/edge/out/Conv", kernel_shape=[1, 1]),
        helper.make_node("Sigmoid", ["edge_logits"], ["edge"], name="/edge/Sigmoid"),
    ]
    g.node.extend(nodes)
    g.output.append(helper.make_tensor_value_info("edge", TensorProto.FLOAT, [1, 4, 30, 40]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--head", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    state = torch.load(args.head)["head"]
    head = EdgeHead(dec=state["hidden.weight"].shape[1])
    head.load_state_dict(state)
    head.eval()
    before = load_for_opencv(args.onnx)
    model = onnx.load(args.onnx)
    sources = [c for c in columns(model)]
    append(model, head)
    onnx.checker.check_model(model)
    onnx.save(model, args.out)
    after = load_for_opencv(args.out)
    # OpenCV forwards graph outputs only: a copy that also outputs the decoder's features checks the head
    probe = onnx.load(args.out)
    for (src, ch, up), (h, w) in zip(sources, [(30, 40), (30, 40), (15, 20), (8, 10), (4, 5)]):
        probe.graph.output.append(helper.make_tensor_value_info(src, TensorProto.FLOAT, [1, ch, h, w]))
    probe_path = args.out + ".probe.onnx"
    onnx.save(probe, probe_path)
    probed = load_for_opencv(probe_path)
    os.remove(probe_path)
    rng = np.random.default_rng(0)
    worst_same, worst_head = 0.0, 0.0
    for _ in range(4):
        x = rng.random((1, 3, 120, 160), dtype=np.float32)
        before.setInput(x)
        after.setInput(x)
        probed.setInput(x)
        ref = before.forward(OUTPUTS)
        got = after.forward(OUTPUTS + ["edge"])
        worst_same = max(worst_same, *(float(np.abs(r - g).max()) for r, g in zip(ref, got[:4])))
        with torch.no_grad():
            maps = probed.forward([src for src, _, _ in sources])
            hyper = hypercolumn(list(maps), 30, 40)[:, : head.hidden.weight.shape[1]]
            want = torch.sigmoid(head(torch.from_numpy(np.ascontiguousarray(hyper)))).numpy()
        worst_head = max(worst_head, float(np.abs(want - got[4]).max()))
    size = os.path.getsize(args.out)
    sha = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    print(f"wrote {args.out}: {size} bytes, sha256 {sha}; old outputs max |diff| {worst_same:.1e}, "
          f"edge vs torch max |diff| {worst_head:.1e}")
    assert worst_same == 0.0 and worst_head < 1e-4, (worst_same, worst_head)


if __name__ == "__main__":
    main()
