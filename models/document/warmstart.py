"""Rebuild a training checkpoint from an exported ONNX model, so training can continue from the shipped
weights when the original checkpoints are gone.

  nice -n 19 /usr/bin/python3 -m models.document.warmstart --onnx models/document/document-detector.onnx \
      --data models/document/data/a_eval_s3 --out models/document/runs/warm/init.pt

The export folds every BatchNorm into the convolution before it (conv weight and bias). Conv nodes are
matched to `CornerNet`'s convolutions in execution order (shapes checked). Each BatchNorm is then given
statistics measured on real frames: with y the convolution output without bias, mean mu and variance v
over a few hundred frames, running_mean = mu, running_var = v, weight = sqrt(v + eps), bias = mu + b. In
eval mode this is exactly the folded graph again; in train mode (batch statistics) it is close to it, so
fine-tuning starts from the shipped function instead of a jolt. The presence threshold folded into the
exported graph (a Sub after the last Linear) is not part of the weights: the checkpoint's presence is raw.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from . import data as D  # noqa: E402
from .model import CornerNet  # noqa: E402
from .onnx_fp16 import load_for_opencv, upcast  # noqa: E402


def conv_bn_pairs(net: CornerNet) -> list[tuple[str, nn.Conv2d, nn.BatchNorm2d]]:
    """(name, conv, bn) for every conv followed by a BatchNorm, in forward execution order."""
    mods = dict(net.named_modules())
    order: list[str] = []
    hooks = [m.register_forward_hook(lambda m, i, o, n=n: order.append(n))
             for n, m in mods.items() if isinstance(m, nn.Conv2d)]
    net.eval()
    with torch.no_grad():
        net(torch.rand(1, 3, net.in_h, net.in_w))
    for h in hooks:
        h.remove()
    out = []
    for n in order:
        parent, _, idx = n.rpartition(".")
        bn_name = f"{parent}.{int(idx) + 1}" if idx.isdigit() else ""
        if bn_name in mods and isinstance(mods[bn_name], nn.BatchNorm2d):
            out.append((n, mods[n], mods[bn_name]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--data", required=True, help="a shard folder; a few hundred frames set the BN statistics")
    ap.add_argument("--frames", type=int, default=512)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    import onnx
    from onnx import numpy_helper

    m = upcast(onnx.load(args.onnx))
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
    # The grown network's global head also reads the decoder's pooled features: more input columns.
    grown = init["net.glob.0.weight"].shape[1] == CornerNet(grown=True).glob[0].in_features
    net = CornerNet(grown=grown)
    convs = [n for n in m.graph.node if n.op_type == "Conv" and n.input[1] != "net.heat.weight"]
    pairs = conv_bn_pairs(net)
    assert len(convs) == len(pairs), (len(convs), len(pairs))
    biases: dict[str, torch.Tensor] = {}
    with torch.no_grad():
        for node, (name, conv, bn) in zip(convs, pairs):
            w, b = init[node.input[1]], init[node.input[2]]
            assert tuple(w.shape) == tuple(conv.weight.shape), (name, w.shape, conv.weight.shape)
            conv.weight.copy_(w)
            bn.weight.fill_(1.0)
            bn.bias.copy_(b)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
            biases[name] = b
        # the heatmap conv and the global head keep their names in the export
        net.heat.weight.copy_(init["net.heat.weight"])
        net.heat.bias.copy_(init["net.heat.bias"])
        net.glob[0].weight.copy_(init["net.glob.0.weight"])
        net.glob[0].bias.copy_(init["net.glob.0.bias"])
        net.glob[2].weight.copy_(init["net.glob.2.weight"])
        net.glob[2].bias.copy_(init["net.glob.2.bias"])

    # the folded network (eval mode) against the ONNX graph itself, raw presence
    d = D.load_dir(args.data, limit=args.frames)
    x = D.to_input(d["images"])
    import cv2

    cvnet = load_for_opencv(args.onnx)
    net.eval()
    with torch.no_grad():
        o = net(x[:8])
    worst = 0.0
    for i in range(8):
        cvnet.setInput(x[i:i + 1].contiguous().numpy())
        corners, coarse = cvnet.forward(["corners", "coarse"])
        worst = max(worst, float(np.abs(corners.reshape(4, 2) - o["corners"][i].numpy()).max()),
                    float(np.abs(coarse.reshape(4, 2) - o["coarse"][i].numpy()).max()))
    print(f"folded torch vs onnx: max |diff| corners/coarse {worst:.2e}")
    assert worst < 1e-3, worst

    # BN statistics of the conv outputs (without bias), measured through the folded network
    stats: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    hooks = []
    for name, conv, _bn in pairs:
        def hook(mod, inp, out, name=name):
            stats[name] = (out.mean((0, 2, 3)), out.var((0, 2, 3), unbiased=False))
        hooks.append(conv.register_forward_hook(hook))
    with torch.no_grad():
        net(x)
    for h in hooks:
        h.remove()
    with torch.no_grad():
        for name, _conv, bn in pairs:
            mu, var = stats[name]
            var = var.clamp_min(1e-6)
            bn.running_mean.copy_(mu)
            bn.running_var.copy_(var)
            bn.weight.copy_(torch.sqrt(var + bn.eps))
            bn.bias.copy_(mu + biases[name])
        o2 = net(x[:8])
    diff = float((o2["corners"] - o["corners"]).abs().max())
    print(f"re-parametrised BN (eval) vs folded: max |diff| {diff:.2e}")
    net.train()
    with torch.no_grad():
        o3 = net(x[:256])
    net.eval()
    with torch.no_grad():
        o4 = net(x[:256])
    print("train-mode vs eval-mode corners, mean |diff| (px):",
          float(((o3["corners"] - o4["corners"]) * torch.tensor([160.0, 120.0])).abs().mean()))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    sd = net.state_dict()
    torch.save({"net": sd, "ema": sd, "step": 0, "source": args.onnx}, args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
