"""The frame-edge head: where along each edge of the camera image the document runs on out of it.

The corner-inside scores of the global head miss cut-off documents that the network reads as smaller
whole ones (session 12: a printed band or the machine-readable zone taken for the side that runs out of
the frame). This head answers a narrower, local question on the decoder's 1/4 features: for each cell on
the border of the camera image, does the document cross the image's edge there? Four channels, one per
edge (top, right, bottom, left), read on the row or column of cells that holds that edge of the camera
image (letterbox bars lie outside it).

Target of a border cell: the share of its stretch of the image's edge that lies inside the document's
quad (the true corners, which may lie outside the frame). A whole document, however close to the edge,
gives 0 everywhere; so does a frame without a document, a sheet of paper or another card crossing the
edge included.

Measured in session 13 (models/document/README.md) and not shipped: trained on the frozen detector
(train_edge.py, appended to the graph by append_edge_head.py) or with it (train.py --edge-weight), its
verdict traded cut-off flags against whole documents flagged no better than the corner verdicts do.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CELL = 4  # input pixels per cell of the decoder's 1/4 map
EDGES = ("top", "right", "bottom", "left")
# the hypercolumn's sources, in order: the decoder's 1/4 features (32), then the encoder's stages s1 to s4
# (24, 48, 80, 96 channels at 1/4 to 1/32), each with how many times it is repeated up to the 1/4 map
HYPERCOLUMN = ((32, 1), (24, 1), (48, 2), (80, 4), (96, 8))


def _interval_on_line(quad: np.ndarray, axis: int, value: float) -> tuple[float, float] | None:
    """Where the convex quad meets the line {p[axis] == value}: (lo, hi) along the other axis, or None."""
    other = 1 - axis
    hits: list[float] = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        da, db = a[axis] - value, b[axis] - value
        if da == 0 and db == 0:
            hits += [a[other], b[other]]
        elif (da <= 0 <= db) or (db <= 0 <= da):
            t = da / (da - db)
            hits.append(a[other] + t * (b[other] - a[other]))
    if len(hits) < 2:
        return None
    return min(hits), max(hits)


def border_cells(content: np.ndarray, w: int, h: int) -> list[tuple[int, np.ndarray]]:
    """Per edge: the row (top, bottom) or column (right, left) of cells holding that edge of the camera
    image, and which cells along it lie within the image's span (bool array)."""
    gw, gh = w // CELL, h // CELL
    x0, y0, x1, y1 = (float(v) for v in content)
    eps = 1e-3
    rows = (min(int(y0 // CELL), gh - 1), min(int((y1 - eps) // CELL), gh - 1))
    cols = (min(int(x0 // CELL), gw - 1), min(int((x1 - eps) // CELL), gw - 1))
    xs = np.arange(gw) * CELL
    ys = np.arange(gh) * CELL
    span_x = (xs + CELL > x0) & (xs < x1)
    span_y = (ys + CELL > y0) & (ys < y1)
    return [(rows[0], span_x), (cols[1], span_y), (rows[1], span_x), (cols[0], span_y)]


def edge_targets(corners: np.ndarray, content: np.ndarray, present: np.ndarray, w: int, h: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(N, 4, gh, gw) targets and a mask of the cells they are defined on (the image's border cells)."""
    n = len(present)
    gw, gh = w // CELL, h // CELL
    tgt = np.zeros((n, 4, gh, gw), np.float32)
    mask = np.zeros((n, 4, gh, gw), bool)
    for i in range(n):
        cont = content[i].astype(np.float64)
        x0, y0, x1, y1 = cont
        lines = ((1, y0, x0, x1), (0, x1, y0, y1), (1, y1, x0, x1), (0, x0, y0, y1))  # (axis, value, lo, hi)
        for k, (idx, span) in enumerate(border_cells(cont, w, h)):
            if k % 2 == 0:
                mask[i, k, idx, span] = True
            else:
                mask[i, k, span, idx] = True
            if not present[i]:
                continue
            axis, value, lo, hi = lines[k]
            got = _interval_on_line(corners[i].astype(np.float64), axis, value)
            if got is None:
                continue
            a, b = max(got[0], lo), min(got[1], hi)
            if b <= a:
                continue
            starts = np.arange(gw if k % 2 == 0 else gh) * CELL
            seg_lo, seg_hi = np.maximum(starts, lo), np.minimum(starts + CELL, hi)
            seg = np.maximum(seg_hi - seg_lo, 1e-6)
            cover = np.clip(np.minimum(seg_hi, b) - np.maximum(seg_lo, a), 0, None) / seg
            cover = np.where(span, np.clip(cover, 0, 1), 0).astype(np.float32)
            if k % 2 == 0:
                tgt[i, k, idx, :] = cover
            else:
                tgt[i, k, :, idx] = cover
    return tgt, mask


class EdgeHead(nn.Module):
    """A per-cell perceptron on the decoder's features (1 × 1 convolutions, with biases and no
    BatchNorm, so that it appends to the exported graph as is): one logit per edge and cell.

    Per cell, because the decoder's cells already see far around them and only border cells are read;
    `lines` runs it on gathered border cells alone, which is what makes training fast.
    """

    def __init__(self, dec: int = 32, hidden: int = 64) -> None:
        super().__init__()
        self.hidden = nn.Conv2d(dec, hidden, 1)
        self.out = nn.Conv2d(hidden, 4, 1)

    def forward(self, d: torch.Tensor) -> torch.Tensor:
        return self.out(F.relu(self.hidden(d)))

    def lines(self, feats: torch.Tensor) -> torch.Tensor:
        """(N, 4, L, C) features of each edge's border cells → (N, 4, L) logits of that edge's channel."""
        h = F.relu(F.linear(feats, self.hidden.weight[:, :, 0, 0], self.hidden.bias))
        o = F.linear(h, self.out.weight[:, :, 0, 0], self.out.bias)  # (N, 4, L, 4)
        return o.diagonal(dim1=1, dim2=3).permute(0, 2, 1)


def hypercolumn(maps: list[np.ndarray], gh: int, gw: int) -> np.ndarray:
    """(N, C_k, h_k, w_k) maps in HYPERCOLUMN's order → (N, sum C_k, gh, gw): each repeated up to the 1/4
    map (nearest, as the decoder upsamples: cell r reads r // k) and cropped to it."""
    return np.concatenate([np.repeat(np.repeat(m, up, 2), up, 3)[:, :, :gh, :gw]
                           for m, (_, up) in zip(maps, HYPERCOLUMN)], 1)


def gather_lines(maps: np.ndarray, content: np.ndarray, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    """(N, C, gh, gw) maps → (N, 4, L, C) their values on each edge's border cells (L = the longer
    side, zero-padded) and (N, 4, L) which of those lie within the camera image's span."""
    n, c, gh, gw = maps.shape
    L = max(gh, gw)
    out = np.zeros((n, 4, L, c), maps.dtype)
    valid = np.zeros((n, 4, L), bool)
    for i in range(n):
        for k, (idx, span) in enumerate(border_cells(content[i], w, h)):
            line = maps[i, :, idx, :] if k % 2 == 0 else maps[i, :, :, idx]  # (C, len)
            out[i, k, : line.shape[1]] = line.T
            valid[i, k, : len(span)] = span
    return out, valid
