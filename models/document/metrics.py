"""Decoding of the network outputs and the evaluation figures (by document size)."""

from __future__ import annotations

import numpy as np

PRESENCE_THRESHOLD = 0.5
INSIDE_THRESHOLD = 0.5


def decode(presence: np.ndarray, inside: np.ndarray, corners: np.ndarray, coarse: np.ndarray, w: int, h: int,
           presence_threshold: float = PRESENCE_THRESHOLD) -> dict[str, np.ndarray]:
    """Corners in output pixels: soft-argmax where the corner is judged inside, regression otherwise."""
    ins = inside >= INSIDE_THRESHOLD
    xy = np.where(ins[..., None], corners, coarse) * np.array([w, h], np.float32)
    return {"detected": presence[:, 0] >= presence_threshold, "inside": ins, "corners": xy,
            "cut": ~ins.all(1)}


def pct(a: np.ndarray, q: float) -> float:
    return float(np.percentile(a, q)) if len(a) else float("nan")


def figures(lab: dict[str, np.ndarray], gt_corners: np.ndarray, dec: dict[str, np.ndarray],
            neg_kind: np.ndarray | None = None) -> dict:
    present, whole, fill, diag = lab["present"], lab["whole"], lab["fill"], lab["diag"]
    err = np.linalg.norm(dec["corners"] - gt_corners, axis=2) / np.maximum(diag, 1e-6)[:, None] * 100  # % of diag
    frame_err = err.mean(1)
    out: dict = {"frames": int(len(present)), "with_document": int(present.sum()), "without_document": int((~present).sum())}
    buckets = {"fill_ge_30": whole & (fill >= 0.3), "fill_10_30": whole & (fill >= 0.1) & (fill < 0.3),
               "fill_lt_10": whole & (fill < 0.1)}
    for name, m in buckets.items():
        det = dec["detected"][m]
        e = frame_err[m & dec["detected"]]
        out[name] = {
            "frames": int(m.sum()),
            "detected_pct": round(100 * float(det.mean()), 2) if m.any() else None,
            "corner_error_mean_pct": round(float(e.mean()), 3) if len(e) else None,
            "corner_error_median_pct": round(pct(e, 50), 3) if len(e) else None,
            "corner_error_p95_pct": round(pct(e, 95), 3) if len(e) else None,
            "worst_corner_p95_pct": round(pct(err[m & dec["detected"]].max(1), 95), 3) if len(e) else None,
        }
    neg = ~present
    out["negatives"] = {"frames": int(neg.sum()),
                        "false_detection_pct": round(100 * float(dec["detected"][neg].mean()), 2) if neg.any() else None}
    if neg_kind is not None and neg.any():
        names = {0: "plain", 1: "paper", 2: "other_card", 3: "screen", 4: "photo_fixture", 5: "clutter"}
        out["negatives"]["by_kind"] = {
            names.get(int(k), str(int(k))): {"frames": int((neg & (neg_kind == k)).sum()),
                                             "false_detection_pct": round(100 * float(dec["detected"][neg & (neg_kind == k)].mean()), 2)}
            for k in np.unique(neg_kind[neg])}
    cut = present & ~whole
    # flagged: the network's corner verdicts whatever its presence; found_flagged: what the product tells,
    # which needs the document found (a frame without one is told no_document)
    found_flagged = dec["cut"] & dec["detected"]
    out["cut_off"] = {
        "frames_with_corner_outside": int(cut.sum()),
        "flagged_pct": round(100 * float(dec["cut"][cut].mean()), 2) if cut.any() else None,
        "found_flagged_pct": round(100 * float(found_flagged[cut].mean()), 2) if cut.any() else None,
        "whole_documents": int(whole.sum()),
        "whole_wrongly_flagged_pct": round(100 * float(dec["cut"][whole].mean()), 2) if whole.any() else None,
        "whole_found_flagged_pct": round(100 * float(found_flagged[whole].mean()), 2) if whole.any() else None,
    }
    return out
