"""Shard loading and label preparation shared by training and evaluation."""

from __future__ import annotations

import glob
import os

import numpy as np
import torch


def shard_paths(d: str) -> list[str]:
    return sorted(p for p in glob.glob(os.path.join(d, "*.npz")) if not p.endswith(".tmp.npz"))


def load_dir(d: str, limit: int | None = None, skip: set[str] | None = None) -> dict[str, np.ndarray]:
    parts: dict[str, list[np.ndarray]] = {}
    n = 0
    for p in shard_paths(d):
        if skip is not None and p in skip:
            continue
        z = np.load(p)
        for k in z.files:
            parts.setdefault(k, []).append(z[k])
        if skip is not None:
            skip.add(p)
        n += len(z["present"])
        if limit is not None and n >= limit:
            break
    if not parts:
        return {}
    out = {k: np.concatenate(v) for k, v in parts.items()}
    if limit is not None:
        out = {k: v[:limit] for k, v in out.items()}
    return out


def labels(d: dict[str, np.ndarray], w: int, h: int) -> dict[str, np.ndarray]:
    """Derived labels: normalised corners, inside flags, document diagonal, fill, whole."""
    c = d["corners"].astype(np.float32)
    cont = d["content"].astype(np.float32)
    present = d["present"].astype(bool)
    inside = ((c[..., 0] >= cont[:, None, 0]) & (c[..., 0] <= cont[:, None, 2]) & (c[..., 1] >= cont[:, None, 1])
              & (c[..., 1] <= cont[:, None, 3]))
    inside &= present[:, None]
    diag = 0.5 * (np.linalg.norm(c[:, 2] - c[:, 0], axis=1) + np.linalg.norm(c[:, 3] - c[:, 1], axis=1))
    x, y = c[..., 0], c[..., 1]
    area = 0.5 * np.abs((x * np.roll(y, -1, 1)).sum(1) - (y * np.roll(x, -1, 1)).sum(1))
    carea = (cont[:, 2] - cont[:, 0]) * (cont[:, 3] - cont[:, 1])
    return {
        "norm": c / np.array([w, h], np.float32),
        "inside": inside,
        "diag": diag.astype(np.float32),
        "fill": np.where(present, area / carea, 0).astype(np.float32),
        "whole": present & inside.all(1),
        "present": present,
    }


def to_input(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    t = torch.as_tensor(images)
    return t.permute(0, 3, 1, 2).float().div_(255.0).contiguous(memory_format=torch.channels_last)
