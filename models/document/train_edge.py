"""Train the frame-edge head (edge_head.py) on the frozen detector's decoder features.

  nice /usr/bin/python3 -m models.document.train_edge --warm models/document/runs/warm13/init.pt \
      --data models/document/data/a_edge_s81 --eval models/document/data/a_eval_s3 \
      --out models/document/runs/edge2/head.pt --hypercolumn --steps 3000

The detector is not changed: its weights come from `warmstart.py` (the shipped graph rebuilt), its
features are computed once for every frame, and only the head learns. So every figure the detector
already has stays as it is, and the head's verdict is only ever added to the corner-inside verdicts.
It prints the network-alone cut-off figures with the head's verdict added at several thresholds.
Session 13 measured it and did not ship it (models/document/README.md, "Session 13").
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    __package__ = "models.document"

from . import data as D  # noqa: E402
from . import metrics as M  # noqa: E402
from .edge_head import EdgeHead, edge_targets, gather_lines, hypercolumn  # noqa: E402
from .evaluate import load_net  # noqa: E402

W, H = 160, 120


def features(net: torch.nn.Module, d: dict[str, np.ndarray], hypercolumn_on: bool, bs: int = 200
             ) -> dict[str, np.ndarray]:
    """The decoder's features on the camera image's border cells (float16, see gather_lines), with the
    encoder's beneath them where `hypercolumn_on` (280 channels instead of 32), and the detector's own
    presence and inside scores."""
    lines, valid, pres, ins = [], [], [], []
    with torch.no_grad():
        for i in range(0, len(d["present"]), bs):
            o = net(D.to_input(d["images"][i:i + bs]))
            maps = o["dec"].numpy().astype(np.float16)
            if hypercolumn_on:
                # each border cell's column through the encoder (nearest cell at 1/4 ... 1/32)
                pyramid = [t.numpy().astype(np.float16) for t in o["pyramid"]]
                maps = hypercolumn([maps, *pyramid], *maps.shape[2:])
            f, v = gather_lines(maps, d["content"][i:i + bs], W, H)
            lines.append(f)
            valid.append(v)
            pres.append(torch.sigmoid(o["presence_logit"]).numpy())
            ins.append(torch.sigmoid(o["inside_logit"]).numpy())
    return {"lines": np.concatenate(lines), "valid": np.concatenate(valid), "presence": np.concatenate(pres),
            "inside": np.concatenate(ins)}


def line_targets(d: dict[str, np.ndarray]) -> np.ndarray:
    """(N, 4, L) each edge's targets on its border cells."""
    tgt, _ = edge_targets(d["corners"], d["content"], d["present"], W, H)
    lines, _ = gather_lines(tgt, d["content"], W, H)  # (N, 4, L, 4): edge k's line of every channel
    return np.ascontiguousarray(lines.diagonal(axis1=1, axis2=3).transpose(0, 2, 1))


def line_scores(head: EdgeHead, f: dict[str, np.ndarray]) -> np.ndarray:
    """(N, 4): per edge, the head's highest probability along the border cells."""
    with torch.no_grad():
        p = torch.sigmoid(head.lines(torch.from_numpy(f["lines"]).float())).numpy()
    return np.where(f["valid"], p, 0).max(2)


def cut_off_table(lab: dict, feats: dict, scores: np.ndarray, presence_threshold: float,
                  thresholds: list[float]) -> list[dict]:
    """Cut-off flags with the head's verdict added at each threshold (None: the corner-inside verdict alone)."""
    cut = lab["present"] & ~lab["whole"]
    whole = lab["whole"]
    found = feats["presence"][:, 0] >= presence_threshold
    corner_cut = ~(feats["inside"] >= M.INSIDE_THRESHOLD).all(1)
    rows = []
    for t in [None, *thresholds]:
        flag = corner_cut | (scores.max(1) >= t) if t is not None else corner_cut
        rows.append({"edge_threshold": t,
                     "cut_flagged_pct": round(100 * float(flag[cut].mean()), 2),
                     "cut_found_flagged_pct": round(100 * float((flag & found)[cut].mean()), 2),
                     "whole_flagged_pct": round(100 * float(flag[whole].mean()), 2),
                     "whole_found_flagged_pct": round(100 * float((flag & found)[whole].mean()), 2)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warm", required=True, help="the detector's checkpoint (warmstart.py's output)")
    ap.add_argument("--data", nargs="+", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--bs", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--pos-weight", type=float, default=1.0, help="weight of cells the document crosses")
    ap.add_argument("--presence-threshold", type=float, default=0.9, help="raw presence that counts as found")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hypercolumn", action="store_true",
                    help="read the encoder's features (1/4 to 1/32, repeated up to 1/4) beside the decoder's")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    t0 = time.time()
    net = load_net(args.warm)
    tr = {}
    for d in args.data:
        part = D.load_dir(d)
        tr = part if not tr else {k: np.concatenate([tr[k], part[k]]) for k in tr}
    ev = D.load_dir(args.eval)
    ftr, fev = features(net, tr, args.hypercolumn), features(net, ev, args.hypercolumn)
    ytr = line_targets(tr)
    print(f"features and targets for {len(tr['present'])} + {len(ev['present'])} frames in "
          f"{time.time() - t0:.0f}s; border cells crossed {ytr[ftr['valid']].mean():.4f}", flush=True)
    dec = torch.from_numpy(ftr["lines"])
    y, m = torch.from_numpy(ytr), torch.from_numpy(ftr["valid"])
    head = EdgeHead(dec=dec.shape[-1])
    opt = torch.optim.AdamW(head.parameters(), args.lr, weight_decay=1e-4)
    g = torch.Generator().manual_seed(args.seed)
    acc, t1 = 0.0, time.time()
    for step in range(args.steps):
        lr = args.lr * (0.5 * (1 + math.cos(math.pi * step / args.steps)) * 0.98 + 0.02)
        for gr in opt.param_groups:
            gr["lr"] = lr
        idx = torch.randint(0, len(dec), (args.bs,), generator=g)
        logit = head.lines(dec[idx].float())
        yi, mi = y[idx], m[idx]
        wt = mi.float() * (1 + (args.pos_weight - 1) * (yi > 0).float())
        loss = (F.binary_cross_entropy_with_logits(logit, yi, reduction="none") * wt).sum() / wt.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        acc += float(loss)
        if (step + 1) % 250 == 0:
            print(f"step {step + 1} lr {lr:.2e} loss {acc / 250:.4f} ({time.time() - t1:.0f}s)", flush=True)
            acc = 0.0
    torch.save({"head": head.state_dict(), "args": vars(args)}, args.out)
    lab = D.labels(ev, W, H)
    scores = line_scores(head, fev)
    table = cut_off_table(lab, fev, scores, args.presence_threshold, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    for row in table:
        print(json.dumps(row), flush=True)
    np.savez(os.path.splitext(args.out)[0] + "_eval.npz", scores=scores, presence=fev["presence"],
             inside=fev["inside"])


if __name__ == "__main__":
    main()
