"""Train the corner detector on the CPU (one thread), resumable.

  nice -n 19 /usr/bin/python3 -m models.document.train --run r1 --data models/document/data/a_train_s1 \
      --eval models/document/data/a_eval_s3 --steps 30000 [--resume]

Writes models/document/runs/<run>/{train.log,last.pt,step_NNNNN.pt}. New shards that appear in the data
folder while training runs are picked up every --reload steps.
"""

from __future__ import annotations

import argparse
import copy
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
from .edge_head import edge_targets  # noqa: E402
from .region_head import region_targets  # noqa: E402
from .model import CornerNet, count_params, deepen, grow, is_deeper, is_grown  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 160, 120


def gaussian_targets(norm: torch.Tensor, hh: int, ww: int, sigma: float = 0.8) -> torch.Tensor:
    """(B, 4, hh*ww) normalised Gaussian heatmaps at the target corners (cell units)."""
    ys = torch.arange(hh, dtype=torch.float32) + 0.5
    xs = torch.arange(ww, dtype=torch.float32) + 0.5
    tx = norm[..., 0:1] * ww
    ty = norm[..., 1:2] * hh
    gx = torch.exp(-((xs[None, None] - tx) ** 2) / (2 * sigma**2))  # (B,4,ww)
    gy = torch.exp(-((ys[None, None] - ty) ** 2) / (2 * sigma**2))  # (B,4,hh)
    g = gy[..., :, None] * gx[..., None, :]
    g = g.flatten(2)
    return g / g.sum(2, keepdim=True).clamp_min(1e-8)


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    b = x.shape[0]
    gain = 0.75 + 0.5 * torch.rand(b, 1, 1, 1, generator=g)
    cast = 0.92 + 0.16 * torch.rand(b, 3, 1, 1, generator=g)
    bias = (torch.rand(b, 1, 1, 1, generator=g) - 0.5) * 0.12
    x = x * gain * cast + bias
    gray = torch.rand(b, generator=g) < 0.05
    if gray.any():
        x[gray] = x[gray].mean(1, keepdim=True).expand(-1, 3, -1, -1)
    return x.clamp_(0, 1)


def losses(o: dict[str, torch.Tensor], y: dict[str, torch.Tensor], hh: int, ww: int,
           neg_weight: float = 1.0, inside_weight: float = 1.0, edge_weight: float = 0.0,
           region_weight: float = 0.0) -> dict[str, torch.Tensor]:
    present = y["present"]
    # frames without a document may weigh more: a false detection costs the person more than a missed frame
    wp = torch.where(present, torch.tensor(1.0), torch.tensor(neg_weight))
    l_pres = (wp * F.binary_cross_entropy_with_logits(o["presence_logit"][:, 0], present.float(),
                                                      reduction="none")).sum() / wp.sum()
    out = {"pres": l_pres}
    if edge_weight > 0:
        # the frame-edge head, on the camera image's border cells of every frame (edge_head.py)
        m = y["edge_mask"].float()
        bce = F.binary_cross_entropy_with_logits(o["edge_logit"], y["edge"].float(), reduction="none")
        out["edge"] = edge_weight * (bce * m).sum() / m.sum().clamp_min(1.0)
    if region_weight > 0:
        # the document's region on every cell of every frame (region_head.py)
        out["region"] = region_weight * F.binary_cross_entropy_with_logits(o["region_logit"], y["region"])
    if present.any():
        p = present
        ins = y["inside"][p]
        out["inside"] = inside_weight * F.binary_cross_entropy_with_logits(o["inside_logit"][p], ins.float())
        tgt = y["norm"][p].clamp(-0.5, 1.5)
        out["coarse"] = 4.0 * F.smooth_l1_loss(o["coarse"][p], tgt, beta=0.02)
        m = ins
        if m.any():
            scale = torch.tensor([W, H], dtype=torch.float32)
            d = ((o["corners"][p] - y["norm"][p]) * scale).norm(dim=2)  # px
            e = d / y["diag"][p][:, None].clamp_min(4.0) * 100.0  # % of diagonal
            out["corner"] = 0.05 * e[m].mean()
            t = gaussian_targets(y["norm"][p], hh, ww)
            ce = -(t * F.log_softmax(o["logits"][p], 2)).sum(2)
            out["heat"] = 0.1 * ce[m].mean()
    return out


def evaluate(net: torch.nn.Module, ev: dict, lab: dict, bs: int = 200) -> dict:
    net.eval()
    outs = {"presence": [], "inside": [], "corners": [], "coarse": []}
    with torch.no_grad():
        for i in range(0, len(ev["present"]), bs):
            o = net(D.to_input(ev["images"][i:i + bs]))
            outs["presence"].append(torch.sigmoid(o["presence_logit"]).numpy())
            outs["inside"].append(torch.sigmoid(o["inside_logit"]).numpy())
            outs["corners"].append(o["corners"].numpy())
            outs["coarse"].append(o["coarse"].numpy())
    cat = {k: np.concatenate(v) for k, v in outs.items()}
    dec = M.decode(cat["presence"], cat["inside"], cat["corners"], cat["coarse"], W, H)
    return M.figures(lab, ev["corners"], dec, ev.get("neg_kind"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="r1")
    ap.add_argument("--data", nargs="+", default=[os.path.join(HERE, "data/a_train_s1")])
    ap.add_argument("--eval", default=os.path.join(HERE, "data/a_eval_s3"))
    ap.add_argument("--eval-n", type=int, default=600)
    ap.add_argument("--steps", type=int, default=30000)
    ap.add_argument("--bs", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--ckpt-every", type=int, default=500)
    ap.add_argument("--eval-every", type=int, default=1000)
    ap.add_argument("--reload", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", help="start from these weights (a checkpoint's net/ema, e.g. warmstart.py's output), "
                                   "with a fresh optimizer at step 0")
    ap.add_argument("--neg-frac", type=float,
                    help="share of every batch drawn from the frames without a document (default: as they come)")
    ap.add_argument("--neg-weight", type=float, default=1.0, help="weight of frames without a document in the presence loss")
    ap.add_argument("--inside-weight", type=float, default=1.0,
                    help="weight of the corner-inside loss (which corners lie outside the frame) against the others")
    ap.add_argument("--edge-weight", type=float, default=0.0,
                    help="train the frame-edge head (edge_head.py) with this weight; 0: a network without it")
    ap.add_argument("--region-weight", type=float, default=0.0,
                    help="train the region head (region_head.py) with this weight; 0: a network without it")
    ap.add_argument("--edge-init", help="the frame-edge head's starting weights (train_edge.py's output)")
    ap.add_argument("--deepen", action="store_true",
                    help="train the deeper grown network (model.deepen), starting from --init's grown weights")
    ap.add_argument("--grow", action="store_true",
                    help="train the grown network (model.grow), starting from --init's plain weights")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    run_dir = os.path.join(HERE, "runs", args.run)
    os.makedirs(run_dir, exist_ok=True)
    log = open(os.path.join(run_dir, "train.log"), "a")

    def say(s: str) -> None:
        line = time.strftime("%H:%M:%S ") + s
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    with_edge = args.edge_weight > 0
    with_region = args.region_weight > 0
    # a start without a head this run trains leaves that head fresh
    strict = not (with_edge or with_region)
    net = CornerNet(grown=args.grow or args.deepen, edge_head=with_edge, deeper=args.deepen,
                    region_head=with_region).to(memory_format=torch.channels_last)
    ema = copy.deepcopy(net)
    for p in ema.parameters():
        p.requires_grad_(False)
    decay, no_decay = [], []
    for n, p in net.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": no_decay, "weight_decay": 0}],
                            lr=args.lr)
    step = 0
    g = torch.Generator().manual_seed(args.seed)
    last = os.path.join(run_dir, "last.pt")
    if args.init and not (args.resume and os.path.exists(last)):
        ck = torch.load(args.init)

        def start_from(state: dict[str, torch.Tensor]) -> None:
            # a checkpoint without the frame-edge head starts it fresh (or from --edge-init)
            net.load_state_dict(state, strict=strict)
            ema.load_state_dict(state, strict=strict)

        if args.deepen and not is_deeper(ck["ema"]):
            grown = CornerNet(grown=True)
            grown.load_state_dict(ck["ema"])
            start_from(deepen(grown).state_dict())
        elif args.grow and not is_grown(ck["ema"]):
            plain = CornerNet()
            plain.load_state_dict(ck["ema"])
            start_from(grow(plain).state_dict())
        else:
            net.load_state_dict(ck["net"], strict=strict)
            ema.load_state_dict(ck["ema"], strict=strict)
        if with_edge and args.edge_init:
            head = torch.load(args.edge_init)["head"]
            net.edge.load_state_dict(head)
            ema.edge.load_state_dict(head)
        say(f"initialised from {args.init}")
    if args.resume and os.path.exists(last):
        ck = torch.load(last)
        net.load_state_dict(ck["net"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        step = ck["step"]
        g.manual_seed(args.seed + step)
        say(f"resumed at step {step}")
    say(f"params {count_params(net)} args {vars(args)}")

    seen: set[str] = set()
    store: dict[str, np.ndarray] = {}

    def reload() -> None:
        nonlocal store
        for d in args.data:
            new = D.load_dir(d, skip=seen)
            if new:
                store = new if not store else {k: np.concatenate([store[k], new[k]]) for k in store}
        say(f"training frames {len(store['present'])}")

    reload()
    tens = {"images": torch.from_numpy(store["images"])}
    lab = D.labels(store, W, H)
    ev = D.load_dir(args.eval, limit=args.eval_n)
    ev_lab = D.labels(ev, W, H)
    hh, ww = net.sizes[2]

    pos_idx = neg_idx = torch.zeros(0, dtype=torch.long)

    def set_tensors() -> None:
        nonlocal tens, lab, pos_idx, neg_idx
        tens = {"images": torch.from_numpy(store["images"])}
        lab = D.labels(store, W, H)
        if with_edge:
            tgt, mask = edge_targets(store["corners"], store["content"], store["present"], W, H)
            lab["edge"], lab["edge_mask"] = tgt.astype(np.float16), mask
        if with_region:
            lab["region"] = region_targets(store["corners"], store["content"], store["present"], W, H)
        pos_idx = torch.from_numpy(np.flatnonzero(lab["present"]))
        neg_idx = torch.from_numpy(np.flatnonzero(~lab["present"]))
        say(f"with document {len(pos_idx)}, without {len(neg_idx)}")

    set_tensors()
    t0, acc, n_acc = time.time(), {}, 0
    net.train()
    while step < args.steps:
        if step > 0 and step % args.reload == 0:
            reload()
            set_tensors()
        lr = args.lr * min(1.0, (step + 1) / args.warmup) * (0.5 * (1 + math.cos(math.pi * step / args.steps)) * 0.98 + 0.02)
        for gr in opt.param_groups:
            gr["lr"] = lr
        if args.neg_frac is None:
            idx = torch.randint(0, len(lab["present"]), (args.bs,), generator=g)
        else:
            nn_ = int(round(args.bs * args.neg_frac))
            idx = torch.cat([neg_idx[torch.randint(0, len(neg_idx), (nn_,), generator=g)],
                             pos_idx[torch.randint(0, len(pos_idx), (args.bs - nn_,), generator=g)]])
        ii = idx.numpy()
        x = augment(D.to_input(tens["images"][idx]), g)
        y = {"present": torch.from_numpy(lab["present"][ii]), "inside": torch.from_numpy(lab["inside"][ii]),
             "norm": torch.from_numpy(lab["norm"][ii]), "diag": torch.from_numpy(lab["diag"][ii])}
        if with_edge:
            y["edge"], y["edge_mask"] = torch.from_numpy(lab["edge"][ii]), torch.from_numpy(lab["edge_mask"][ii])
        if with_region:
            y["region"] = torch.from_numpy(lab["region"][ii]).float().div_(255.0)
        o = net(x)
        ls = losses(o, y, hh, ww, args.neg_weight, args.inside_weight, args.edge_weight, args.region_weight)
        loss = sum(ls.values())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        with torch.no_grad():
            dec_ = min(0.999, (1 + step) / (10 + step))
            for pe, pn in zip(ema.parameters(), net.parameters()):
                pe.mul_(dec_).add_(pn.detach(), alpha=1 - dec_)
            for be, bn in zip(ema.buffers(), net.buffers()):
                be.copy_(bn)
        step += 1
        for k, v in ls.items():
            acc[k] = acc.get(k, 0.0) + float(v)
        n_acc += 1
        if step % 50 == 0:
            dt = time.time() - t0
            say(f"step {step} lr {lr:.2e} " + " ".join(f"{k} {v / n_acc:.4f}" for k, v in acc.items())
                + f" | {n_acc * args.bs / dt:.0f} img/s")
            t0, acc, n_acc = time.time(), {}, 0
        if step % args.ckpt_every == 0 or step == args.steps:
            ck = {"net": net.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step,
                  "args": vars(args)}
            torch.save(ck, last + ".tmp")
            os.replace(last + ".tmp", last)
            if step % (10 * args.ckpt_every) == 0:
                torch.save({"ema": ema.state_dict(), "step": step}, os.path.join(run_dir, f"step_{step:06d}.pt"))
        if step % args.eval_every == 0 or step == args.steps:
            te = time.time()
            f = evaluate(ema, ev, ev_lab)
            net.train()
            say("eval " + json.dumps({"step": step, "ge30": f["fill_ge_30"], "10_30": f["fill_10_30"],
                                      "neg": f["negatives"]["false_detection_pct"], "cut": f["cut_off"]})
                + f" ({time.time() - te:.0f}s)")
            t0 = time.time()
    say("finished")


if __name__ == "__main__":
    main()
