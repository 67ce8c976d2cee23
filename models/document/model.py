"""A small corner detector: conv stem, depthwise-separable encoder to 1/32, a light top-down decoder to
1/4 with four corner heatmaps read by soft-argmax, and a global head (presence, corner-inside scores,
regressed corners for corners outside the frame).

Input: (N, 3, H, W) float RGB in [0, 1] (normalisation is inside the graph).
Outputs (all in the graph, so runtimes only read numbers):
  presence (N, 1)      probability that a document is in the frame
  inside   (N, 4)      probability that each corner (TL, TR, BR, BL) lies inside the frame
  corners  (N, 4, 2)   soft-argmax corners, normalised x / W, y / H (continuous, 0..1 spans the image)
  coarse   (N, 4, 2)   regressed corners, normalised, may lie outside 0..1
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .edge_head import EdgeHead


def conv_bn(cin: int, cout: int, k: int = 3, s: int = 1, groups: int = 1, dil: int = 1, act: bool = True) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Conv2d(cin, cout, k, s, dil * (k // 2), dilation=dil, groups=groups, bias=False),
                               nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class DWBlock(nn.Module):
    def __init__(self, cin: int, cout: int, s: int = 1, k: int = 3, dil: int = 1) -> None:
        super().__init__()
        self.dw = conv_bn(cin, cin, k, s, groups=cin, dil=dil)
        self.pw = conv_bn(cin, cout, 1, act=False)
        self.res = s == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pw(self.dw(x))
        return F.relu(x + y) if self.res else F.relu(y)


def down(n: int) -> int:
    return (n + 1) // 2


class CornerNet(nn.Module):
    """`grown` adds three residual blocks (after s3, after s4, and at the end of the decoder) and feeds the
    global head the decoder's pooled features as well; `grow` makes one from a trained plain network with
    the same function, so that training continues from it."""

    def __init__(self, in_h: int = 120, in_w: int = 160, width: float = 1.0, dec: int = 32,
                 grown: bool = False, edge_head: bool = False, deeper: bool = False,
                 region_head: bool = False) -> None:
        super().__init__()
        if deeper and not grown:
            raise ValueError("deeper builds on the grown network")
        self.grown = grown
        c = [int(round(v * width)) for v in (16, 24, 48, 80, 96)]
        self.in_h, self.in_w = in_h, in_w
        self.sizes = [(in_h, in_w)]
        for _ in range(5):
            h, w = self.sizes[-1]
            self.sizes.append((down(h), down(w)))
        self.stem = conv_bn(3, c[0], 3, 2)
        self.s1 = nn.Sequential(conv_bn(c[0], c[1], 3, 2), DWBlock(c[1], c[1]))
        self.s2 = nn.Sequential(DWBlock(c[1], c[2], 2), DWBlock(c[2], c[2]), DWBlock(c[2], c[2]))
        self.s3 = nn.Sequential(DWBlock(c[2], c[3], 2), DWBlock(c[3], c[3], k=5), DWBlock(c[3], c[3], dil=2),
                                *([DWBlock(c[3], c[3], k=5)] if grown else []),
                                *([DWBlock(c[3], c[3], dil=2)] if deeper else []))
        self.s4 = nn.Sequential(DWBlock(c[3], c[4], 2), DWBlock(c[4], c[4]), DWBlock(c[4], c[4], k=5),
                                *([DWBlock(c[4], c[4], dil=2)] if grown else []),
                                *([DWBlock(c[4], c[4], k=5)] if deeper else []))
        self.lat4 = conv_bn(c[4], dec, 1)
        self.lat3 = conv_bn(c[3], dec, 1, act=False)
        self.lat2 = conv_bn(c[2], dec, 1, act=False)
        self.lat1 = conv_bn(c[1], dec, 1, act=False)
        self.m3 = DWBlock(dec, dec)
        self.m2 = DWBlock(dec, dec, k=5)
        # `deeper` (deepen): one more block at 1/16 and 1/8 in the decoder, beside one more in s3 and s4
        self.m3b = DWBlock(dec, dec, k=5) if deeper else None
        self.m2b = DWBlock(dec, dec) if deeper else None
        self.m1 = nn.Sequential(DWBlock(dec, dec, k=5), DWBlock(dec, dec), *([DWBlock(dec, dec, k=5)] if grown else []))
        self.heat = nn.Conv2d(dec, 4, 1)
        # the frame-edge head (edge_head.py), trained with the network when it has one
        self.edge = EdgeHead(dec) if edge_head else None
        # the document's region per cell (region_head.py), a training signal for the decoder
        self.region = nn.Conv2d(dec, 1, 1) if region_head else None
        glob_in = 2 * c[4] + (2 * dec if grown else 0)
        self.glob = nn.Sequential(nn.Linear(glob_in, 64), nn.ReLU(inplace=True), nn.Linear(64, 1 + 4 + 8))
        hh, ww = self.sizes[2]
        ys = (torch.arange(hh, dtype=torch.float32) + 0.5) / hh
        xs = (torch.arange(ww, dtype=torch.float32) + 0.5) / ww
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        self.register_buffer("grid", torch.stack([gx.reshape(-1), gy.reshape(-1)], 1), persistent=False)  # (h*w, 2)

    @staticmethod
    def up(x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        return x[:, :, : size[0], : size[1]]

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        x = (x - 0.5) * 4.0
        f1 = self.s1(self.stem(x))
        f2 = self.s2(f1)
        f3 = self.s3(f2)
        f4 = self.s4(f3)
        d = self.lat4(f4)
        d = self.m3(F.relu(self.lat3(f3) + self.up(d, self.sizes[4])))
        if self.m3b is not None:
            d = self.m3b(d)
        d = self.m2(F.relu(self.lat2(f2) + self.up(d, self.sizes[3])))
        if self.m2b is not None:
            d = self.m2b(d)
        # note: f1 is at 1/4 (stem /2, s1 /2); f2 at 1/8 ... decoder ends at 1/4
        d = self.m1(F.relu(self.lat1(f1) + self.up(d, self.sizes[2])))
        logits = self.heat(d).flatten(2)  # (N, 4, h*w)
        p = torch.softmax(logits, dim=2)
        pooled = [f4.mean((2, 3)), f4.amax((2, 3))] + ([d.mean((2, 3)), d.amax((2, 3))] if self.grown else [])
        g = torch.cat(pooled, 1)
        o = self.glob(g)
        out = {
            "presence_logit": o[:, 0:1],
            "inside_logit": o[:, 1:5],
            "coarse": o[:, 5:13].reshape(-1, 4, 2),
            "corners": torch.matmul(p, self.grid),  # soft-argmax
            "logits": logits,
            # the decoder's 1/4 features and the encoder's, which the frame-edge head reads (edge_head.py)
            "dec": d,
            "pyramid": [f1, f2, f3, f4],
        }
        if self.edge is not None:
            out["edge_logit"] = self.edge(d)
        if self.region is not None:
            out["region_logit"] = self.region(d)[:, 0]
        return out


def grow(plain: CornerNet) -> CornerNet:
    """A grown network computing exactly what `plain` computes: the new blocks start as identities (the
    last BatchNorm of each scales by zero) and the global head's weights on the new features are zero."""
    net = CornerNet(plain.in_h, plain.in_w, grown=True)
    sd = plain.state_dict()
    own = net.state_dict()
    for k, v in sd.items():
        if k == "glob.0.weight":
            w = torch.zeros_like(own[k])
            w[:, : v.shape[1]] = v
            own[k] = w
        else:
            own[k] = v
    net.load_state_dict(own)
    with torch.no_grad():
        for block in (net.s3[-1], net.s4[-1], net.m1[-1]):
            block.pw[1].weight.zero_()
            block.pw[1].bias.zero_()
    return net


def deepen(net: CornerNet) -> CornerNet:
    """A deeper grown network computing exactly what the grown `net` computes (new blocks start as
    identities, as in `grow`)."""
    out = CornerNet(net.in_h, net.in_w, grown=True, deeper=True)
    own = out.state_dict()
    own.update(net.state_dict())
    out.load_state_dict(own)
    with torch.no_grad():
        for block in (out.s3[-1], out.s4[-1], out.m3b, out.m2b):
            block.pw[1].weight.zero_()
            block.pw[1].bias.zero_()
    return out


def is_deeper(state: dict[str, torch.Tensor]) -> bool:
    return "m3b.dw.0.weight" in state


def is_grown(state: dict[str, torch.Tensor]) -> bool:
    return "m1.2.dw.0.weight" in state


def has_edge_head(state: dict[str, torch.Tensor]) -> bool:
    return "edge.hidden.weight" in state


def has_region_head(state: dict[str, torch.Tensor]) -> bool:
    return "region.weight" in state


class Exported(nn.Module):
    """The graph that ships: probabilities and normalised corners only.

    `presence_threshold` (chosen on a calibration set, see calibrate.py) is folded into the graph: the
    exported presence is sigmoid(logit - logit(threshold)), so it crosses 0.5 where the raw probability
    crosses the threshold and every runtime keeps comparing it with 0.5.
    """

    def __init__(self, net: CornerNet, presence_threshold: float = 0.5) -> None:
        super().__init__()
        self.net = net
        t = min(max(presence_threshold, 1e-6), 1 - 1e-6)
        self.presence_shift = float(math.log(t / (1 - t)))

    def forward(self, x: torch.Tensor):  # type: ignore[override]
        o = self.net(x)
        presence = torch.sigmoid(o["presence_logit"] - self.presence_shift)
        out = (presence, torch.sigmoid(o["inside_logit"]), o["corners"], o["coarse"])
        return out + (torch.sigmoid(o["edge_logit"]),) if "edge_logit" in o else out


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


if __name__ == "__main__":
    import time

    torch.set_num_threads(1)
    m = CornerNet()
    print("params", count_params(m), "sizes", m.sizes)
    x = torch.rand(64, 3, 120, 160)
    o = m(x)
    print({k: tuple(v.shape) for k, v in o.items()})
    opt = torch.optim.AdamW(m.parameters(), 1e-3)
    t = time.time()
    for _ in range(3):
        o = m(x)
        loss = o["corners"].sum() + o["coarse"].sum() + o["presence_logit"].sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("train step b64", (time.time() - t) / 3)
    m.eval()
    with torch.no_grad():
        t = time.time()
        for _ in range(20):
            m(x[:1])
        print("infer 1", (time.time() - t) / 20)
