"""Renderer B: an independent second renderer, used only to measure generalisation (never for training).

Written apart from renderer A: its own MRZ code, document layouts (portrait on the other side, diagonal
bands, two-column passports, perforated numbers), fonts (Liberation Serif/Mono/Narrow, OpenCV Hershey
faces, OCR-B Sharp for the MRZ), backgrounds (Voronoi cells, plaid, bokeh, stripes, radial gradients),
clutter (books, keyboards, receipts, magazines, leaves, business cards, framed photographs), a
corner-jitter homography instead of a 3D camera, disk defocus, spotlights, shot noise in linear light,
oversharpening and PIL JPEG. Output conventions are the same as renderer A (see generate.py).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE_DIR = os.environ.get("IDV_FIXTURES", os.path.normpath(os.path.join(HERE, "../../../../shared/fixtures")))
FONTS = [
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf",
]
MRZ_FONT = "/usr/share/fonts/opentype/ocr-b/OCRBS.otf"
HERSHEY = [cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_TRIPLEX,
           cv2.FONT_HERSHEY_PLAIN]

_fc: dict = {}


def ft(path: str, size: float) -> ImageFont.FreeTypeFont:
    k = (path, max(5, int(size)))
    if k not in _fc:
        _fc[k] = ImageFont.truetype(path, k[1])
    return _fc[k]


_photos: list[np.ndarray] = []


def photos() -> list[np.ndarray]:
    if not _photos:
        for n in sorted(os.listdir(FIXTURE_DIR)) if os.path.isdir(FIXTURE_DIR) else []:
            if n.endswith(".png"):
                im = cv2.imread(os.path.join(FIXTURE_DIR, n))
                if im is not None:
                    _photos.append(im[..., ::-1].copy())
    return _photos


# ---------------------------------------------------------------- MRZ (independent implementation)

def _v(ch: str) -> int:
    return 0 if ch == "<" else int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def cd(s: str) -> str:
    w = [7, 3, 1]
    return str(sum(_v(ch) * w[i % 3] for i, ch in enumerate(s)) % 10)


def fit(s: str, n: int) -> str:
    s = s.upper().replace(" ", "<")
    return s[:n].ljust(n, "<")


def mrz_td3(p: dict) -> list[str]:
    a = fit("P<" + p["st"] + p["sn"] + "<<" + p["gn"], 44)
    body = fit(p["no"], 9)
    body += cd(fit(p["no"], 9)) + p["nat"] + p["dob"] + cd(p["dob"]) + p["sex"] + p["exp"] + cd(p["exp"])
    opt = fit(p["opt"], 14)
    body += opt + (cd(opt) if p["opt"] else "<")
    body += cd(body[0:10] + body[13:20] + body[21:43])
    return [a, body]


def mrz_td1(p: dict) -> list[str]:
    a = "ID" + p["st"] + fit(p["no"], 9) + cd(fit(p["no"], 9)) + fit(p["opt"], 15)
    b = p["dob"] + cd(p["dob"]) + p["sex"] + p["exp"] + cd(p["exp"]) + p["nat"] + "<" * 11
    b += cd(a[5:30] + b[0:7] + b[8:15] + b[18:29])
    c = fit(p["sn"] + "<<" + p["gn"], 30)
    return [a, b, c]


# ---------------------------------------------------------------- helpers

def col(r: np.random.Generator, lo: int = 0, hi: int = 255) -> tuple[int, int, int]:
    return (int(r.integers(lo, hi + 1)), int(r.integers(lo, hi + 1)), int(r.integers(lo, hi + 1)))


def word(r: np.random.Generator, n: int | None = None) -> str:
    letters = "ABCDEFGHIKLMNOPRSTUVWYZ"
    vowels = "AEIOUY"
    n = n or int(r.integers(3, 9))
    return "".join((vowels if i % 2 else letters)[int(r.integers(0, len(vowels if i % 2 else letters)))]
                   for i in range(n))


def date6(r: np.random.Generator) -> str:
    return "%02d%02d%02d" % (r.integers(0, 100), r.integers(1, 13), r.integers(1, 29))


def identity(r: np.random.Generator) -> dict:
    codes = ["UTO", "DEU", "NOR", "ARG", "CHL", "KOR", "ZAF", "KEN", "EGY", "TUR", "ROU", "HUN", "SVK", "SVN", "HRV"]
    return {"sn": word(r), "gn": word(r), "no": "".join(str(int(x)) for x in r.integers(0, 10, 9)),
            "st": codes[int(r.integers(0, len(codes)))], "nat": codes[int(r.integers(0, len(codes)))],
            "dob": date6(r), "exp": date6(r), "sex": "FM"[int(r.integers(0, 2))],
            "opt": word(r, 6) if r.random() < 0.4 else ""}


def hershey(img: np.ndarray, text: str, x: float, y: float, h: float, c: tuple, r: np.random.Generator,
            face: int | None = None) -> None:
    f = HERSHEY[int(r.integers(0, len(HERSHEY)))] if face is None else face
    scale = cv2.getFontScaleFromHeight(f, max(4, int(h)), 1)
    cv2.putText(img, text, (int(x), int(y + h)), f, scale, c, 1, cv2.LINE_AA)


def face_photo(r: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Oval head, different construction from renderer A (gradient backdrop, oval hair, shirt collar)."""
    top, bot = np.array(col(r, 160, 255), np.float32), np.array(col(r, 120, 230), np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = (top * (1 - t) + bot * t + np.zeros((1, w, 1), np.float32)).astype(np.uint8)
    tone = r.uniform(0.35, 1.0)
    skin = (int(230 * tone + 20), int(190 * tone + 15), int(160 * tone + 10))
    cx, cy = w // 2 + int(r.integers(-w // 10, w // 10 + 1)), int(h * 0.45)
    hair = col(r, 0, 90)
    cv2.ellipse(img, (cx, cy - h // 12), (int(w * 0.3), int(h * 0.3)), 0, 0, 360, hair, -1)
    pts = np.array([[0, h], [w, h], [int(w * 0.85), int(h * 0.78)], [int(w * 0.15), int(h * 0.78)]], np.int32)
    cv2.fillPoly(img, [pts], col(r, 0, 255))
    cv2.ellipse(img, (cx, cy), (int(w * 0.22), int(h * 0.27)), 0, 0, 360, skin, -1, cv2.LINE_AA)
    for s in (-1, 1):
        cv2.ellipse(img, (cx + s * int(w * 0.09), cy - h // 30), (max(1, w // 28), max(1, h // 60)), 0, 0, 360,
                    (40, 30, 30), -1)
    cv2.ellipse(img, (cx, cy + h // 8), (w // 12, h // 40), 0, 0, 180, (150, 60, 60), 1)
    if r.random() < 0.5:
        img = np.repeat(img.mean(2, keepdims=True), 3, 2).astype(np.uint8)
    return img


def card_alpha(h: int, w: int, rad: int) -> np.ndarray:
    a = np.full((h, w), 255, np.uint8)
    yy, xx = np.mgrid[0:rad, 0:rad]
    outside = (xx - rad + 0.5) ** 2 + (yy - rad + 0.5) ** 2 > rad ** 2
    corner = np.where(outside, 0, 255).astype(np.uint8)
    a[:rad, :rad] = corner
    a[:rad, w - rad:] = corner[:, ::-1]
    a[h - rad:, :rad] = corner[::-1]
    a[h - rad:, w - rad:] = corner[::-1, ::-1]
    return a


def base_print(r: np.random.Generator, h: int, w: int) -> np.ndarray:
    c0 = np.array(col(r, 170, 255), np.float32)
    c1 = np.array(col(r, 170, 255), np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = r.uniform(0, w), r.uniform(0, h)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / max(h, w)
    img = c0 * (1 - d[..., None]) + c1 * d[..., None]
    style = r.integers(0, 3)
    if style == 0:  # concentric microprint rings
        img *= (0.94 + 0.06 * np.sin(d * r.uniform(60, 160)))[..., None]
    elif style == 1:  # crossing waves
        img *= (0.95 + 0.025 * np.sin(xx / r.uniform(2, 6) + 3 * np.sin(yy / 15))
                + 0.025 * np.sin(yy / r.uniform(2, 6) + 3 * np.sin(xx / 17)))[..., None]
    else:  # dotted screen
        img *= (0.95 + 0.05 * (np.sin(xx * 1.3) * np.sin(yy * 1.3) > 0.5))[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def put_mrz(pil: Image.Image, lines: list[str], x0: float, y0: float, width: float, lh: float) -> None:
    d = ImageDraw.Draw(pil)
    f = ft(MRZ_FONT, lh * 0.85)
    adv = f.getlength(lines[0])
    if adv > width:
        f = ft(MRZ_FONT, lh * 0.85 * width / adv)
    for i, ln in enumerate(lines):
        d.text((x0, y0 + i * lh), ln, font=f, fill=(25, 25, 30))


# ---------------------------------------------------------------- documents

def id_card(r: np.random.Generator, back: bool, ppm: float) -> np.ndarray:
    w, h = int(85.6 * ppm), int(53.98 * ppm)
    img = base_print(r, h, w)
    p = identity(r)
    ink = col(r, 0, 60)
    if r.random() < 0.6:  # diagonal band
        c = col(r, 60, 220)
        pts = np.array([[0, int(h * 0.15)], [int(w * r.uniform(0.3, 0.6)), 0], [int(w * r.uniform(0.5, 0.8)), 0],
                        [0, int(h * 0.45)]], np.int32)
        ov = img.copy()
        cv2.fillPoly(ov, [pts], c)
        img = cv2.addWeighted(ov, 0.35, img, 0.65, 0)
    if not back:
        pw, ph = int(w * 0.27), int(h * 0.58)
        px = int(w * 0.68) if r.random() < 0.6 else int(w * 0.05)
        py = int(h * 0.3)
        img[py:py + ph, px:px + pw] = face_photo(r, ph, pw)
        cv2.rectangle(img, (px, py), (px + pw, py + ph), ink, 1)
        hershey(img, ["REPUBLIC OF UTOPIA", "IDENTITY", "ID-KARTE", "CEDULA", "KIMLIK KARTI"][int(r.integers(0, 5))],
                w * 0.05, h * 0.05, h * 0.08, ink, r)
        fx = w * 0.05 if px > w / 2 else w * 0.38
        y = h * 0.28
        for _ in range(int(r.integers(3, 6))):
            hershey(img, word(r, 5).lower(), fx, y, h * 0.035, (90, 90, 110), r, cv2.FONT_HERSHEY_PLAIN)
            hershey(img, word(r) + " " + (word(r, 4) if r.random() < 0.4 else ""), fx, y + h * 0.045, h * 0.055, ink, r)
            y += h * 0.13
        if r.random() < 0.6:  # vertical number
            tmp = np.full((int(h * 0.06), int(h * 0.7), 3), 255, np.uint8)
            hershey(tmp, p["no"], 0, 0, tmp.shape[0] * 0.8, (0, 0, 0), r, cv2.FONT_HERSHEY_SIMPLEX)
            tmp = cv2.rotate(tmp, cv2.ROTATE_90_COUNTERCLOCKWISE)
            x0 = int(w * 0.955)
            reg = img[int(h * 0.2):int(h * 0.2) + tmp.shape[0], x0:x0 + tmp.shape[1]]
            reg[:] = np.minimum(reg, tmp[:reg.shape[0], :reg.shape[1]])
        if r.random() < 0.5:  # hologram patch
            ov = img.copy()
            cv2.circle(ov, (int(w * r.uniform(0.4, 0.7)), int(h * 0.75)), int(h * 0.12), col(r, 150, 255), -1)
            img = cv2.addWeighted(ov, 0.3, img, 0.7, 0)
        pil = Image.fromarray(img)
    else:
        for i in range(int(r.integers(2, 5))):
            hershey(img, word(r) + " " + word(r), w * 0.05, h * (0.06 + 0.09 * i), h * 0.05, ink, r)
        if r.random() < 0.5:  # 2D code
            s = int(h * 0.3)
            code = (r.random((12, 12)) < 0.5).astype(np.uint8) * 255
            code = cv2.resize(code, (s, s), interpolation=cv2.INTER_NEAREST)
            img[int(h * 0.06):int(h * 0.06) + s, int(w * 0.7):int(w * 0.7) + s] = 255 - code[..., None]
        pil = Image.fromarray(img)
        zone = h * 0.36
        ImageDraw.Draw(pil).rectangle([0, h - zone, w, h], fill=col(r, 230, 255))
        put_mrz(pil, mrz_td1(p), w * 0.045, h - zone + zone * 0.07, w * 0.91, zone * 0.3)
    return np.dstack([np.asarray(pil), card_alpha(h, w, max(2, int(3 * ppm)))])


def passport_page(r: np.random.Generator, ppm: float) -> tuple[np.ndarray, np.ndarray]:
    w, h = int(125 * ppm), int(88 * ppm)
    img = base_print(r, h, w)
    p = identity(r)
    ink = col(r, 0, 60)
    ph, pw = int(h * 0.5), int(h * 0.39)
    px, py = int(w * 0.05), int(h * 0.22)
    img[py:py + ph, px:px + pw] = face_photo(r, ph, pw)
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    fnt = FONTS[int(r.integers(0, len(FONTS)))]
    d.text((w * 0.05, h * 0.04), ["PASSPORT", "PASAPORTE", "PASSAPORTO", "PASZPORT", "UTOPIA"][int(r.integers(0, 5))],
           font=ft(fnt, h * 0.07), fill=ink)
    for c in range(2):
        for i in range(5):
            x = w * (0.4 + 0.3 * c)
            y = h * (0.2 + 0.1 * i)
            d.text((x, y), word(r, 6).lower(), font=ft(fnt, h * 0.025), fill=(100, 100, 120))
            d.text((x, y + h * 0.03), word(r), font=ft(fnt, h * 0.045), fill=ink)
    zone = h * 0.22
    d.rectangle([0, h - zone, w, h], fill=col(r, 232, 255))
    put_mrz(pil, mrz_td3(p), w * 0.035, h - zone + zone * 0.1, w * 0.93, zone * 0.42)
    page = np.dstack([np.asarray(pil), np.full((h, w), 255, np.uint8)])
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32) - 0.5
    if r.random() < 0.5:  # booklet: visa page above, a darker cover showing below and at the sides
        vis = base_print(r, h, w)
        for i in range(int(r.integers(0, 3))):  # entry stamps
            cv2.circle(vis, (int(r.uniform(0.2, 0.8) * w), int(r.uniform(0.2, 0.8) * h)), int(h * 0.12),
                       col(r, 0, 150), 2, cv2.LINE_AA)
        m = int(r.integers(2, 6) * ppm * 0.5)
        cover = np.array(col(r, 0, 90), np.uint8)
        big = np.zeros((2 * h + 2 * m, w + 2 * m, 4), np.uint8)
        big[..., :3] = cover
        big[..., 3] = 255
        big[m:m + h, m:m + w, :3] = vis
        big[m + h:m + 2 * h, m:m + w] = page
        crop = int(r.uniform(0, 0.7) * h)
        big = big[crop:]
        page = big
        corners += np.array([m, m + h - crop], np.float32)
    return page, corners


# ---------------------------------------------------------------- backgrounds and clutter

def voronoi(r: np.random.Generator, h: int, w: int) -> np.ndarray:
    n = int(r.integers(8, 40))
    pts = r.uniform(0, 1, (n, 2)) * [w, h]
    cols = r.integers(0, 256, (n, 3))
    yy, xx = np.mgrid[0:h:2, 0:w:2]
    d = (xx[..., None] - pts[:, 0]) ** 2 + (yy[..., None] - pts[:, 1]) ** 2
    lab = d.argmin(2)
    img = cols[lab].astype(np.uint8)
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_NEAREST)


def backdrop(r: np.random.Generator, h: int, w: int) -> np.ndarray:
    k = int(r.integers(0, 7))
    if k == 0:
        img = voronoi(r, h, w)
        img = cv2.GaussianBlur(img, (0, 0), r.uniform(0.3, 2))
    elif k == 1:  # plaid tablecloth
        a, b = np.array(col(r), np.float32), np.array(col(r), np.float32)
        s = r.uniform(6, 30)
        xx = (np.arange(w) // s % 2)[None, :]
        yy = (np.arange(h) // s % 2)[:, None]
        m = (0.5 * xx + 0.5 * yy)[..., None]
        img = (a * (1 - m) + b * m).astype(np.uint8)
    elif k == 2:  # bokeh
        img = np.full((h, w, 3), col(r, 0, 120), np.uint8)
        for _ in range(int(r.integers(10, 40))):
            cv2.circle(img, (int(r.uniform(0, w)), int(r.uniform(0, h))), int(r.uniform(5, h / 4)), col(r), -1)
        img = cv2.GaussianBlur(img, (0, 0), r.uniform(3, 10))
    elif k == 3:  # stripes
        a, b = np.array(col(r), np.float32), np.array(col(r), np.float32)
        ang = r.uniform(0, math.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        m = (np.sin((xx * math.cos(ang) + yy * math.sin(ang)) / r.uniform(2, 12)) > 0)[..., None]
        img = np.where(m, a, b).astype(np.uint8)
        img = cv2.GaussianBlur(img, (0, 0), 0.7)
    elif k == 4 and photos():
        ph = photos()[int(r.integers(0, len(photos())))]
        img = cv2.resize(cv2.flip(ph, 1) if r.random() < 0.5 else ph, (w, h), interpolation=cv2.INTER_AREA)
    elif k == 5:  # granite speckle
        base = np.array(col(r, 60, 220), np.float32)
        sp = r.random((h, w)).astype(np.float32)
        img = base * (0.75 + 0.5 * (sp[..., None] > 0.85)) - 40 * (sp[..., None] < 0.1)
        img = np.clip(img, 0, 255).astype(np.uint8)
    else:  # radial gradient
        a, b = np.array(col(r), np.float32), np.array(col(r), np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        d = np.sqrt((xx / w - r.random()) ** 2 + (yy / h - r.random()) ** 2)[..., None]
        img = np.clip(a * (1 - d) + b * d, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(img)


def flat(r: np.random.Generator, h: int, w: int, kind: str, ppm: float) -> np.ndarray:
    """Flat objects as RGBA: book, keyboard, receipt, magazine, business card, credit card, framed photo, phone."""
    if kind == "book":
        bw, bh = int(r.uniform(120, 200) * ppm), int(r.uniform(170, 260) * ppm)
        img = np.full((bh, bw, 3), col(r), np.uint8)
        cv2.rectangle(img, (0, 0), (int(bw * 0.07), bh), col(r, 0, 100), -1)
        hershey(img, word(r), bw * 0.15, bh * 0.2, bh * 0.06, col(r), r)
        a = np.full((bh, bw), 255, np.uint8)
    elif kind == "keyboard":
        bw, bh = int(r.uniform(250, 440) * ppm), int(r.uniform(100, 140) * ppm)
        img = np.full((bh, bw, 3), col(r, 0, 70), np.uint8)
        kc = col(r, 0, 255)
        ks = bh / 6
        for j in range(5):
            for i in range(int(bw / ks)):
                cv2.rectangle(img, (int(i * ks + 2), int(j * ks + ks * 0.4)), (int((i + 1) * ks - 2), int((j + 1) * ks + ks * 0.3)), kc, -1)
        a = card_alpha(bh, bw, max(2, int(bh * 0.05)))
    elif kind == "receipt":
        bw, bh = int(r.uniform(55, 80) * ppm), int(r.uniform(120, 300) * ppm)
        img = np.full((bh, bw, 3), 245, np.uint8)
        for y in range(int(ppm * 4), bh - int(ppm * 4), int(ppm * 4)):
            hershey(img, word(r, int(r.integers(3, 8))) + "  " + str(int(r.integers(1, 999))), ppm * 3, y, ppm * 2.2,
                    (60, 60, 60), r, cv2.FONT_HERSHEY_PLAIN)
        a = np.full((bh, bw), 255, np.uint8)
    elif kind == "magazine":
        bw, bh = int(210 * ppm), int(280 * ppm)
        img = np.full((bh, bw, 3), 250, np.uint8)
        for _ in range(int(r.integers(2, 6))):
            x0, y0 = int(r.uniform(0, bw * 0.7)), int(r.uniform(0, bh * 0.7))
            cv2.rectangle(img, (x0, y0), (x0 + int(r.uniform(20, bw * 0.5)), y0 + int(r.uniform(20, bh * 0.4))), col(r), -1)
        for y in range(0, bh, int(ppm * 6)):
            cv2.line(img, (int(ppm * 10), y), (int(ppm * r.uniform(60, 200)), y), (90, 90, 90), 1)
        a = np.full((bh, bw), 255, np.uint8)
    elif kind in ("business", "credit"):
        bw, bh = (int(90 * ppm), int(50 * ppm)) if kind == "business" else (int(85.6 * ppm), int(54 * ppm))
        img = np.full((bh, bw, 3), col(r), np.uint8)
        if kind == "credit":
            img = cv2.addWeighted(img, 0.6, backdrop(r, bh, bw), 0.4, 0)
            cv2.rectangle(img, (int(bw * 0.12), int(bh * 0.38)), (int(bw * 0.27), int(bh * 0.58)), (190, 160, 90), -1)
            hershey(img, " ".join(str(int(x)) for x in r.integers(1000, 9999, 4)), bw * 0.1, bh * 0.65, bh * 0.1,
                    (240, 240, 240), r)
        else:
            hershey(img, word(r) + " " + word(r), bw * 0.1, bh * 0.3, bh * 0.12, col(r, 0, 80), r)
            hershey(img, "+" + str(int(r.integers(10 ** 8, 10 ** 9))), bw * 0.1, bh * 0.6, bh * 0.08, col(r, 0, 80), r)
        a = card_alpha(bh, bw, max(1, int((3 if kind == "credit" else 0.5) * ppm)))
    elif kind == "framed" and photos():
        ph = photos()[int(r.integers(0, len(photos())))]
        s = int(r.uniform(60, 150) * ppm)
        m = int(s * 0.08)
        img = np.full((s + 2 * m, s + 2 * m, 3), col(r, 0, 255), np.uint8)
        img[m:m + s, m:m + s] = cv2.resize(ph, (s, s), interpolation=cv2.INTER_AREA)
        a = np.full(img.shape[:2], 255, np.uint8)
    else:  # phone lying face up, screen on
        bw, bh = int(72 * ppm), int(148 * ppm)
        img = np.full((bh, bw, 3), (15, 15, 18), np.uint8)
        inner = backdrop(r, bh - int(10 * ppm), bw - int(6 * ppm))
        img[int(5 * ppm):int(5 * ppm) + inner.shape[0], int(3 * ppm):int(3 * ppm) + inner.shape[1]] = inner
        a = card_alpha(bh, bw, int(8 * ppm))
    return np.dstack([img, a])


def jitter_quad(r: np.random.Generator, cx: float, cy: float, w: float, h: float, ang: float, persp: float) -> np.ndarray:
    base = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float32)
    c, s = math.cos(ang), math.sin(ang)
    q = base @ np.array([[c, s], [-s, c]], np.float32)
    # perspective-like: shrink one side, jitter each corner
    side = int(r.integers(0, 4))
    k = r.uniform(0, persp)
    mid = q.mean(0)
    for i in (side, (side + 1) % 4):
        q[i] = q[i] + (mid - q[i]) * k * 0.5
    q += r.normal(0, persp * 0.15 * min(w, h), q.shape).astype(np.float32)
    return q + np.array([cx, cy], np.float32)


def paste(dst: np.ndarray, rgba: np.ndarray, src: np.ndarray, quad: np.ndarray, shadow: float = 0.0) -> None:
    h, w = dst.shape[:2]
    scale = np.linalg.norm(quad[1] - quad[0]) / max(1.0, float(np.linalg.norm(src[1] - src[0])))
    if scale < 0.6:
        f = max(scale * 1.5, 0.03)
        rgba2 = cv2.resize(rgba, (max(2, int(rgba.shape[1] * f)), max(2, int(rgba.shape[0] * f))), interpolation=cv2.INTER_AREA)
        src = (src + 0.5) * np.array([rgba2.shape[1] / rgba.shape[1], rgba2.shape[0] / rgba.shape[0]], np.float32) - 0.5
        rgba = rgba2
    M = cv2.getPerspectiveTransform(src.astype(np.float32), quad.astype(np.float32))
    out = cv2.warpPerspective(rgba, M, (w, h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    a = out[..., 3:4].astype(np.float32) / 255
    if shadow > 0:
        sh = cv2.GaussianBlur(np.roll(np.roll(a[..., 0], int(r_shadow_dx), 1), int(r_shadow_dy), 0), (0, 0), 4)
        dst[:] = (dst * (1 - shadow * sh[..., None])).astype(np.uint8)
    dst[:] = (dst * (1 - a) + out[..., :3] * a).astype(np.uint8)


r_shadow_dx, r_shadow_dy = 5, 6


def full_corners(a: np.ndarray) -> np.ndarray:
    h, w = a.shape[:2]
    return np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32) - 0.5


def fingers(r: np.random.Generator, img: np.ndarray, at: np.ndarray, centre: np.ndarray, size: float) -> None:
    tone = r.uniform(0.35, 1.0)
    c = (int(225 * tone + 25), int(180 * tone + 20), int(150 * tone + 15))
    dirv = at - centre
    dirv = dirv / (np.linalg.norm(dirv) + 1e-6)
    perp = np.array([-dirv[1], dirv[0]])
    for k in range(int(r.integers(1, 5))):
        base = at + dirv * size * 2.5 + perp * (k - 1.5) * size * 0.45
        tip = at - dirv * size * r.uniform(0.0, 0.6) + perp * (k - 1.5) * size * 0.35
        cv2.line(img, tuple(int(v) for v in base), tuple(int(v) for v in tip), c, max(2, int(size * 0.38)), cv2.LINE_AA)
        cv2.circle(img, tuple(int(v) for v in tip), max(1, int(size * 0.19)), tuple(int(v * 0.95) for v in c), -1, cv2.LINE_AA)


# ---------------------------------------------------------------- frame

@dataclass
class Frame:
    image: np.ndarray
    present: bool
    kind: int
    corners: np.ndarray
    content: np.ndarray
    neg_kind: int = -1
    meta: dict = field(default_factory=dict)


def render_frame(seed: int, out_w: int = 160, out_h: int = 120) -> Frame:
    r = np.random.default_rng(seed + 7_777_777_777)
    S = 3
    W, H = out_w * S, out_h * S
    portrait_cam = r.random() < 0.1
    if portrait_cam:  # 3:4 camera pillar-boxed
        cw = int(round(H * 3 / 4))
        cx0 = (W - cw) // 2
        bw, bh = cw, H
    else:
        cx0, bw, bh = 0, W, H
    img = backdrop(r, bh, bw)
    ppm = r.uniform(2.0, 3.2)
    kinds = ["book", "keyboard", "receipt", "magazine", "business", "credit", "framed", "phone"]
    present = r.random() > 0.18
    neg_kind = -1
    hard = None
    if not present:
        hard = kinds[int(r.integers(0, len(kinds)))] if r.random() < 0.75 else None
        neg_kind = {None: 0, "receipt": 1, "magazine": 1, "book": 5, "keyboard": 5, "business": 2, "credit": 2,
                    "framed": 4, "phone": 3}[hard]
    for _ in range(int(r.integers(0, 4))):
        kd = kinds[int(r.integers(0, len(kinds)))]
        o = flat(r, bh, bw, kd, ppm * r.uniform(0.3, 0.8))
        ow, oh = o.shape[1], o.shape[0]
        sc = r.uniform(0.2, 0.9) * min(bw / ow, bh / oh)
        q = jitter_quad(r, r.uniform(0, bw), r.uniform(0, bh), ow * sc, oh * sc, r.uniform(-3, 3), 0.2)
        paste(img, o, full_corners(o), q)
    if hard is not None:
        o = flat(r, bh, bw, hard, ppm)
        ow, oh = o.shape[1], o.shape[0]
        sc = r.uniform(0.35, 1.0) * min(bw / ow, bh / oh)
        q = jitter_quad(r, r.uniform(0.3, 0.7) * bw, r.uniform(0.3, 0.7) * bh, ow * sc, oh * sc, r.normal(0, 0.4), 0.3)
        paste(img, o, full_corners(o), q, shadow=r.uniform(0, 0.5))
        if r.random() < 0.35:
            fingers(r, img, q[int(r.integers(0, 4))], q.mean(0), r.uniform(0.03, 0.07) * bw)
    kind = 0
    quad = None
    if present:
        t = r.random()
        if t < 0.35:
            kind, tex = 1, id_card(r, False, ppm * 1.5)
            src = full_corners(tex)
        elif t < 0.6:
            kind, tex = 2, id_card(r, True, ppm * 1.5)
            src = full_corners(tex)
        else:
            kind = 3
            tex, src = passport_page(r, ppm * 1.2)
        aspect = (85.6 / 53.98) if kind != 3 else 125 / 88
        cut = r.random() < 0.22
        u = r.random()
        fill = r.uniform(0.3, 0.8) if u < 0.5 else (r.uniform(0.1, 0.3) if u < 0.85 else r.uniform(0.03, 0.1))
        if cut:
            fill = r.uniform(0.2, 1.0)
        ang = r.normal(0, 0.12) if r.random() < 0.75 else r.uniform(-1.6, 1.6)
        for _ in range(40):
            dw = math.sqrt(fill * bw * bh * aspect)
            q = jitter_quad(r, r.uniform(0.2, 0.8) * bw if not cut else r.uniform(-0.1, 1.1) * bw,
                            r.uniform(0.2, 0.8) * bh if not cut else r.uniform(-0.1, 1.1) * bh, dw, dw / aspect, ang,
                            r.uniform(0, 0.35))
            ins = (q[:, 0] >= -0.5) & (q[:, 0] <= bw - 0.5) & (q[:, 1] >= -0.5) & (q[:, 1] <= bh - 0.5)
            if not cut and ins.all():
                break
            if cut and not ins.all() and ins.sum() >= 1:
                break
            fill *= 0.93 if not cut else 1.0
        quad = q
        M = cv2.getPerspectiveTransform(src.astype(np.float32), quad)
        allq = cv2.perspectiveTransform(full_corners(tex)[None], M)[0]
        global r_shadow_dx, r_shadow_dy
        r_shadow_dx, r_shadow_dy = int(r.integers(-8, 9)), int(r.integers(0, 12))
        paste(img, tex, full_corners(tex), allq, shadow=r.uniform(0, 0.55))
        if r.random() < 0.3:
            i = int(r.integers(0, 4))
            at = quad[i] + (quad[(i + 1) % 4] - quad[i]) * r.uniform(0.05, 0.95)
            fingers(r, img, at, quad.mean(0), r.uniform(0.02, 0.05) * bw)
        if r.random() < 0.1:
            o = flat(r, bh, bw, ["receipt", "business", "credit"][int(r.integers(0, 3))], ppm)
            sc = r.uniform(0.1, 0.4) * min(bw / o.shape[1], bh / o.shape[0])
            q2 = jitter_quad(r, r.uniform(0, bw), r.uniform(0, bh), o.shape[1] * sc, o.shape[0] * sc, r.uniform(-3, 3), 0.2)
            paste(img, o, full_corners(o), q2)
    # light: spotlight, ambient tint, specular patch
    f = img.astype(np.float32) / 255.0
    lin = f ** 2.2
    yy, xx = np.mgrid[0:bh, 0:bw].astype(np.float32)
    sx, sy = r.uniform(-0.3, 1.3) * bw, r.uniform(-0.3, 1.3) * bh
    spot = np.exp(-((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * (r.uniform(0.4, 1.5) * bw) ** 2))
    expo = r.uniform(0.25, 1.8)
    lin = lin * (expo * (0.5 + 0.7 * spot))[..., None] * np.array(r.uniform(0.85, 1.15, 3), np.float32)
    if r.random() < 0.35:
        gx, gy = (quad.mean(0) if quad is not None and r.random() < 0.7 else (r.uniform(0, bw), r.uniform(0, bh)))
        sp = np.exp(-((xx - gx - r.normal(0, bw * 0.05)) ** 2 / (2 * (bw * r.uniform(0.01, 0.08)) ** 2)
                      + (yy - gy - r.normal(0, bh * 0.05)) ** 2 / (2 * (bh * r.uniform(0.01, 0.06)) ** 2)))
        lin += (sp * r.uniform(0.5, 3.0))[..., None]
    # shot + read noise in linear light
    if r.random() < 0.85:
        k = r.uniform(200, 3000)
        lin = r.poisson(np.clip(lin, 0, 4) * k) / k + r.normal(0, 0.003, lin.shape)
    f = np.clip(np.clip(lin, 0, 1) ** (1 / 2.2), 0, 1)
    img = (f * 255).astype(np.uint8)
    u = r.random()
    if u < 0.25:  # defocus: disk kernel
        rad = int(r.integers(2, 8))
        k = np.zeros((2 * rad + 1, 2 * rad + 1), np.float32)
        cv2.circle(k, (rad, rad), rad, 1.0, -1)
        img = cv2.filter2D(img, -1, k / k.sum())
    elif u < 0.4:  # motion
        n = int(r.integers(4, 24))
        img = cv2.blur(img, (n, 1)) if r.random() < 0.5 else cv2.blur(img, (1, n))
    canvas = np.zeros((H, W, 3), np.uint8) + 114
    canvas[:, cx0:cx0 + bw] = img
    out = cv2.resize(canvas, (out_w, out_h), interpolation=cv2.INTER_AREA)
    if r.random() < 0.4:  # phone oversharpening
        bl = cv2.GaussianBlur(out, (0, 0), 1.0)
        out = cv2.addWeighted(out, 1.6, bl, -0.6, 0)
    if r.random() < 0.8:
        import io

        buf = io.BytesIO()
        Image.fromarray(out).save(buf, "JPEG", quality=int(r.integers(30, 92)), subsampling=2)
        out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).copy()
    content = np.array([cx0 / S, 0, (cx0 + bw) / S, bh / S], np.float32)
    if portrait_cam:
        x0, x1 = int(math.ceil(cx0 / S)), int((cx0 + bw) / S)
        out[:, :x0] = 114
        out[:, x1:] = 114
    corners = np.zeros((4, 2), np.float32)
    if quad is not None:
        corners = (quad + 0.5 + np.array([cx0, 0], np.float32)) / S
    return Frame(np.ascontiguousarray(out), present, kind, corners.astype(np.float32), content, neg_kind)
