"""The document's region on the decoder's 1/4 map: a dense training signal beside the corners.

Session 12 found that most cut-off documents left unflagged are read as smaller whole ones: the side that
runs out of the frame is replaced by a line inside the document (a printed band, the portrait's edge,
the machine-readable zone). The corner losses say nothing about the cells between that line and the
frame's edge; this target does: each cell of the 1/4 map is told how much of it the document covers, so
the decoder's features have to represent "still the document" on past any printed band, up to the
frame's edge where it runs out. A 1 × 1 convolution on the decoder's features predicts it
(`CornerNet(region_head=True)`, `train.py --region-weight`).

Target of a cell: the share of its area inside both the document's true quad and the camera image
(letterbox bars hold no document); 0 everywhere on frames without a document, hard negatives included.

Measured in session 14 (models/document/README.md) and not shipped: trained with the network at weights 1
and 3, cut-off flags stayed within a frame or two of the shipped model's while whole documents, the p95
or large-document detection got worse; read as a verdict at the frame's border it traded like the
frame-edge head.
"""

from __future__ import annotations

import cv2
import numpy as np

from .edge_head import CELL  # input pixels per cell of the decoder's 1/4 map

SUPER = 4  # the quad is drawn at this many sub-pixels per input pixel, then area-averaged to the cells


def region_targets(corners: np.ndarray, content: np.ndarray, present: np.ndarray, w: int, h: int) -> np.ndarray:
    """(N, gh, gw) uint8 coverage (255 = the cell lies wholly inside the document and the camera image)."""
    n = len(present)
    gw, gh = w // CELL, h // CELL
    out = np.zeros((n, gh, gw), np.uint8)
    fine_w, fine_h = w * SUPER, h * SUPER
    canvas = np.zeros((fine_h, fine_w), np.uint8)
    for i in np.flatnonzero(present):
        canvas[:] = 0
        # fillPoly clips what lies outside the canvas; a fixed-point shift keeps sub-pixel corners, and
        # OpenCV puts a pixel's centre on the integer (ours spans [i, i + 1]), hence the half pixel
        pts = np.round((corners[i].astype(np.float64) * SUPER - 0.5) * 16).astype(np.int32)
        cv2.fillPoly(canvas, [pts], 255, lineType=cv2.LINE_8, shift=4)
        x0, y0, x1, y1 = (int(round(float(v) * SUPER)) for v in content[i])
        canvas[:max(y0, 0)] = 0
        canvas[min(y1, fine_h):] = 0
        canvas[:, :max(x0, 0)] = 0
        canvas[:, min(x1, fine_w):] = 0
        out[i] = cv2.resize(canvas, (gw, gh), interpolation=cv2.INTER_AREA)
    return out
