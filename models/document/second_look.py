"""The second look, exactly as src/core/document/second-look.ts, upright.ts and preprocess.ts take it:
the detector run again on a window around a document found wholly inside the frame, the window
area-averaged from the frame's own pixels to the input size, pad grey 114 where it overhangs the frame,
and turned so that the document stands upright in it as the first look reads it (a 3:4 window for a
quarter turn).
"""

from __future__ import annotations

import numpy as np

from .synth.renderer_a import quad_area  # plain geometry, shared rather than written again

IW, IH = 160, 120
PAD = 114.0
MARGIN = 0.1
# Exported presence (0.5 = the first look's calibrated threshold) a first look needs to earn a second
# look, and the window's presence the document then needs to stand. Chosen on the calibration seed
# (calibrate_second_look.py): the most large documents found with at most 2 % false detections.
FIRST_MIN_PRESENCE = 0.2
MIN_PRESENCE = 0.2
# Smallest area of the window's document, as a share of the first look's, for its corners to be taken
# (second-look.ts minAreaRatio, chosen on the calibration seed with evaluate-pipeline.ts).
MIN_AREA_RATIO = 0.7
# A corner the window judges outside and places within this share of the frame's shorter side of the
# frame's edge, or beyond it, is outside the frame (second-look.ts cutOffMargin, the rules' edge margin).
CUT_OFF_MARGIN = 0.02


def _convex(q: np.ndarray) -> bool:
    cross = [float(np.cross(q[(i + 1) % 4] - q[i], q[(i + 2) % 4] - q[(i + 1) % 4])) for i in range(4)]
    return all(c > 0 for c in cross) or all(c < 0 for c in cross)


def quarter_turns(corners: np.ndarray) -> int:
    """Quarter turns (clockwise on screen) the document is turned from upright as read; 0 where the corners
    cross."""
    if not _convex(corners):
        return 0
    tl, tr, br, bl = corners
    d = (tr - tl) + (br - bl)
    return int(np.round(np.arctan2(d[1], d[0]) / (np.pi / 2))) % 4


def _input_size(turns: int) -> tuple[int, int]:
    """(width, height) of the window's unturned input: the input's, transposed for a quarter turn."""
    return (IH, IW) if turns % 2 else (IW, IH)


def window(corners: np.ndarray, fw: int, fh: int, margin: float = MARGIN, turns: int = 0):
    """(x, y, width, height) of the window in frame pixels, or None when it would cover the whole frame."""
    iw, ih = _input_size(turns)
    x0, y0 = corners.min(0)
    x1, y1 = corners.max(0)
    grow = 1 + 2 * margin
    w = max((x1 - x0) * grow, (y1 - y0) * grow * iw / ih, iw)
    h = w * ih / iw
    if w >= fw and h >= fh:
        return None

    def place(c: float, size: float, extent: float) -> float:
        return (extent - size) / 2 if size >= extent else min(max(c - size / 2, 0), extent - size)

    return place((x0 + x1) / 2, w, fw), place((y0 + y1) / 2, h, fh), w, h


def _axis(n: int, m: int, offset: float, span: float) -> tuple[np.ndarray, np.ndarray]:
    """(m, n) area weights and the covered share of each output sample (the frame is never enlarged)."""
    scale = n / span
    assert scale >= 1, "a window never enlarges the frame"
    wts = np.zeros((m, n), np.float64)
    for i in range(m):
        a, b = max(0.0, (i - offset) * scale), min(float(n), (i + 1 - offset) * scale)
        for k in range(int(np.floor(a)), int(np.ceil(b))):
            wts[i, k] = (min(b, k + 1) - max(a, k)) / scale
    return wts, wts.sum(1)


def sample(img: np.ndarray, win, turns: int = 0) -> np.ndarray:
    """The window as an input image (IH, IW, 3), float32 in 0-255, turned upright."""
    iw, ih = _input_size(turns)
    fh, fw = img.shape[:2]
    x, y, w, h = win
    wx, cx = _axis(fw, iw, -x * iw / w, fw * iw / w)
    wy, cy = _axis(fh, ih, -y * ih / h, fh * ih / h)
    f = img.astype(np.float64)
    rows = np.matmul(f.transpose(0, 2, 1), wx.T).transpose(0, 2, 1) + ((1 - cx) * PAD)[None, :, None]
    out = np.tensordot(wy, rows, axes=(1, 0)) + ((1 - cy) * PAD)[:, None, None]
    # np.rot90 turns anticlockwise: a document turned k quarters clockwise stands upright after k of them.
    return np.ascontiguousarray(np.rot90(out, turns)).astype(np.float32)


def corners_from_window(norm: np.ndarray, win, turns: int = 0) -> np.ndarray:
    """Network corners (x / IW, y / IH of the upright input) in frame pixels."""
    x, y, w, h = win
    u, v = norm[:, 0], norm[:, 1]
    unturned = {0: (u, v), 1: (1 - v, u), 2: (1 - u, 1 - v), 3: (v, 1 - u)}[turns % 4]
    return np.stack(unturned, 1) * np.array([w, h], np.float32) + np.array([x, y], np.float32)
