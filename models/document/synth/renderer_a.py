"""Renderer A: synthetic camera frames of identity documents (the training renderer).

Every frame is a pure function of an integer seed. A frame is rendered at twice the
output resolution and reduced with area averaging. Labels use continuous pixel
coordinates of the output frame (pixel i spans [i, i+1]); corners are TL, TR, BR, BL
of the document as read, and keep their true position when outside the frame.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import mrz_a

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.environ.get("IDV_FIXTURES", os.path.normpath(os.path.join(HERE, "../../../../shared/fixtures")))

FONT_FILES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-ExtraLight.ttf",
]
OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"

# Kinds of frame content.
KIND_NONE, KIND_ID_FRONT, KIND_ID_BACK, KIND_TD3 = 0, 1, 2, 3
# Negative sub-kinds (for reporting hard negatives apart).
NEG_PLAIN, NEG_PAPER, NEG_CARD, NEG_SCREEN, NEG_PHOTO, NEG_CLUTTER = 0, 1, 2, 3, 4, 5

_font_cache: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    size = max(6, int(size))
    key = (path, size)
    f = _font_cache.get(key)
    if f is None:
        f = ImageFont.truetype(path, size)
        _font_cache[key] = f
    return f


_fixtures: list[np.ndarray] | None = None


def fixtures() -> list[np.ndarray]:
    global _fixtures
    if _fixtures is None:
        _fixtures = []
        for name in ("astronaut.png", "chelsea.png", "coffee.png"):
            p = os.path.join(FIXTURES, name)
            if os.path.exists(p):
                im = cv2.imread(p, cv2.IMREAD_COLOR)
                if im is not None:
                    _fixtures.append(cv2.cvtColor(im, cv2.COLOR_BGR2RGB))
    return _fixtures


# --------------------------------------------------------------------------- text content

SYL = ["an", "ber", "cha", "del", "er", "fo", "gar", "hel", "in", "jo", "ka", "lin", "mar", "ne", "ol", "pa",
       "ri", "sa", "to", "ul", "va", "wen", "xi", "ya", "zo", "son", "sen", "berg", "ova", "ez", "ski", "ti"]
STATES = ["UTO", "D<<", "FRA", "NLD", "ESP", "ITA", "GBR", "USA", "CAN", "SWE", "POL", "BEL", "AUT", "PRT", "IRL",
          "CHE", "NOR", "FIN", "DNK", "GRC", "CZE", "EST", "LVA", "LTU", "BRA", "MEX", "IND", "JPN", "AUS", "NZL"]
LABELS = ["SURNAME", "NOM", "APELLIDOS", "GIVEN NAMES", "PRENOMS", "NOMBRE", "DATE OF BIRTH", "NATIONALITY",
          "SEX", "DATE OF EXPIRY", "DOCUMENT NO", "PLACE OF BIRTH", "AUTHORITY", "DATE OF ISSUE", "HEIGHT",
          "CAN", "PERSONAL NO", "GEBURTSTAG", "NAZIONALITA", "ADDRESS", "SIGNATURE", "TYPE", "CODE"]
TITLES = ["IDENTITY CARD", "CARTE D'IDENTITE", "PERSONALAUSWEIS", "DOCUMENTO DE IDENTIDAD", "ID CARD",
          "RESIDENCE PERMIT", "CARTA D'IDENTITA", "IDENTITEITSKAART", "PASSPORT", "PASSEPORT", "REISEPASS",
          "DRIVING LICENCE", "NATIONAL ID", "HENKILOKORTTI", "UTOPIA"]


def rname(rng: np.random.Generator, lo: int = 2, hi: int = 4) -> str:
    return "".join(SYL[i] for i in rng.integers(0, len(SYL), rng.integers(lo, hi))).upper()


def rdate(rng: np.random.Generator) -> str:
    return f"{rng.integers(0, 100):02d}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}"


def rdocnum(rng: np.random.Generator) -> str:
    al = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(al[i] for i in rng.integers(0, len(al), 9))


def rcolor(rng: np.random.Generator, lo: int = 0, hi: int = 256) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(lo, hi, 3))  # type: ignore[return-value]


def pastel(rng: np.random.Generator) -> np.ndarray:
    base = rng.uniform(0.55, 1.0, 3)
    base = 1.0 - (1.0 - base) * rng.uniform(0.2, 0.8)
    return (base * 255).astype(np.float32)


# --------------------------------------------------------------------------- document textures

def security_pattern(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Background print of a document: pastel gradient, guilloche lines, rosettes, waves."""
    c1, c2 = pastel(rng), pastel(rng)
    t = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    s = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    a = rng.uniform(0, 1)
    mix = a * t + (1 - a) * s
    if rng.random() < 0.4:
        mix = 0.5 + 0.5 * np.sin(mix * rng.uniform(2, 7) + rng.uniform(0, 6))
    img = c1 * (1 - mix) + c2 * mix
    img = np.ascontiguousarray(img.astype(np.uint8))
    line_col = tuple(int(v) for v in np.clip(pastel(rng) * rng.uniform(0.6, 0.95), 0, 255))
    kind = rng.integers(0, 4)
    thick = 1
    if kind == 0:  # guilloche sine families
        n = rng.integers(6, 24)
        xs = np.arange(0, w, 2, dtype=np.float32)
        amp, fq, ph = rng.uniform(3, h / 6), rng.uniform(0.01, 0.06), rng.uniform(0, 6)
        for i in range(n):
            y0 = h * (i + 0.5) / n
            ys = y0 + amp * np.sin(xs * fq + ph + i * rng.uniform(0.1, 0.6))
            pts = np.stack([xs, ys], 1).astype(np.int32)
            cv2.polylines(img, [pts], False, line_col, thick, cv2.LINE_AA)
    elif kind == 1:  # rosette
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        r0 = rng.uniform(h * 0.2, h * 0.7)
        th = np.linspace(0, 2 * np.pi, 400)
        k = rng.integers(5, 15)
        for j in range(rng.integers(4, 12)):
            r = r0 * (0.5 + 0.5 * j / 12) * (1 + 0.15 * np.sin(k * th + j))
            pts = np.stack([cx + r * np.cos(th), cy + r * np.sin(th)], 1).astype(np.int32)
            cv2.polylines(img, [pts], True, line_col, thick, cv2.LINE_AA)
    elif kind == 2:  # fine diagonal hatch
        step = int(rng.integers(4, 10))
        for x in range(-h, w, step):
            cv2.line(img, (x, 0), (x + h, h), line_col, 1, cv2.LINE_AA)
    # else: plain gradient
    if rng.random() < 0.5:  # emblem / watermark disc
        cx, cy = int(rng.uniform(0.3, 0.9) * w), int(rng.uniform(0.2, 0.8) * h)
        col = tuple(int(v) for v in np.clip(pastel(rng) * 0.9, 0, 255))
        cv2.circle(img, (cx, cy), int(rng.uniform(0.15, 0.35) * h), col, int(rng.integers(1, 4)), cv2.LINE_AA)
    return img


def portrait(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A drawn head-and-shoulders portrait (no real person)."""
    bg = rcolor(rng, 150, 256)
    img = np.full((h, w, 3), bg, np.uint8)
    skin = np.array([rng.uniform(90, 240), 0, 0])
    skin[1] = skin[0] * rng.uniform(0.7, 0.85)
    skin[2] = skin[0] * rng.uniform(0.55, 0.75)
    skin_c = tuple(int(v) for v in skin)
    cloth = rcolor(rng, 0, 200)
    hair = rcolor(rng, 0, 120) if rng.random() < 0.8 else (200, 200, 190)
    cx = int(w * rng.uniform(0.42, 0.58))
    cv2.ellipse(img, (cx, int(h * 1.05)), (int(w * 0.55), int(h * 0.33)), 0, 0, 360, cloth, -1, cv2.LINE_AA)
    cv2.rectangle(img, (cx - int(w * 0.1), int(h * 0.55)), (cx + int(w * 0.1), int(h * 0.8)), skin_c, -1)
    hy, hw, hh = int(h * 0.42), int(w * rng.uniform(0.26, 0.34)), int(h * rng.uniform(0.25, 0.3))
    cv2.ellipse(img, (cx, hy - int(hh * 0.15)), (int(hw * 1.08), int(hh * 1.0)), 0, 180, 360, hair, -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, hy), (hw, hh), 0, 0, 360, skin_c, -1, cv2.LINE_AA)
    if rng.random() < 0.5:
        cv2.ellipse(img, (cx, hy - int(hh * 0.55)), (int(hw * 1.02), int(hh * 0.5)), 0, 180, 360, hair, -1, cv2.LINE_AA)
    ey = hy - int(hh * 0.1)
    for dx in (-1, 1):
        cv2.circle(img, (cx + dx * int(hw * 0.4), ey), max(1, int(hw * 0.09)), (30, 30, 30), -1, cv2.LINE_AA)
    cv2.line(img, (cx - int(hw * 0.3), hy + int(hh * 0.5)), (cx + int(hw * 0.3), hy + int(hh * 0.5)),
             (120, 50, 50), max(1, int(hw * 0.05)), cv2.LINE_AA)
    if rng.random() < 0.35:
        img = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    if rng.random() < 0.12 and fixtures():
        face = fixtures()[0]
        x0, y0 = int(rng.integers(110, 170)), int(rng.integers(20, 60))
        crop = face[y0:y0 + 260, x0:x0 + 200]
        img = cv2.resize(crop, (w, h), interpolation=cv2.INTER_AREA)
    return img


def draw_text_block(d: ImageDraw.ImageDraw, rng: np.random.Generator, x: float, y: float, w: float, h: float,
                    ppm: float, fnt: str, ink: tuple[int, int, int], label_ink: tuple[int, int, int]) -> None:
    """Label/value field pairs filling a box."""
    rows = int(rng.integers(3, 7))
    rh = h / rows
    for r in range(rows):
        yy = y + r * rh
        lab = LABELS[int(rng.integers(0, len(LABELS)))]
        ls = max(6, int(rh * 0.28))
        vs = max(7, int(rh * rng.uniform(0.38, 0.5)))
        d.text((x, yy), lab + ("/" + LABELS[int(rng.integers(0, len(LABELS)))] if rng.random() < 0.3 else ""),
               font=font(fnt, ls), fill=label_ink)
        val = rname(rng) if rng.random() < 0.5 else (
            f"{rng.integers(1, 29):02d}.{rng.integers(1, 13):02d}.{rng.integers(1940, 2035)}" if rng.random() < 0.5
            else rdocnum(rng))
        d.text((x, yy + ls * 1.05), val, font=font(fnt, vs), fill=ink)
        if rng.random() < 0.25 and w > 0:  # second column
            d.text((x + w * 0.55, yy + ls * 1.05), rname(rng, 1, 3), font=font(fnt, vs), fill=ink)


def rounded_mask(h: int, w: int, r: int) -> np.ndarray:
    m = np.zeros((h, w), np.uint8)
    cv2.rectangle(m, (r, 0), (w - 1 - r, h - 1), 255, -1)
    cv2.rectangle(m, (0, r), (w - 1, h - 1 - r), 255, -1)
    for cx, cy in ((r, r), (w - 1 - r, r), (w - 1 - r, h - 1 - r), (r, h - 1 - r)):
        cv2.circle(m, (cx, cy), r, 255, -1, cv2.LINE_AA)
    return m


def person(rng: np.random.Generator) -> dict:
    return dict(surname=rname(rng), given=rname(rng) + (" " + rname(rng) if rng.random() < 0.3 else ""),
                number=rdocnum(rng), dob=rdate(rng), expiry=rdate(rng), sex="MF<"[int(rng.integers(0, 3))],
                state=STATES[int(rng.integers(0, len(STATES)))], nat=STATES[int(rng.integers(0, len(STATES)))])


def mrz_lines(d: ImageDraw.ImageDraw, rng: np.random.Generator, lines: list[str], x: float, y: float, w: float,
              line_h: float, ink: tuple[int, int, int]) -> None:
    n = len(lines[0])
    size = int(line_h * 0.8)
    f = font(OCRB, size)
    adv = f.getlength("<" * n)
    scale = w / max(adv, 1)
    if scale < 1.0:  # shrink to fit
        f = font(OCRB, size * scale)
    for i, ln in enumerate(lines):
        d.text((x, y + i * line_h), ln, font=f, fill=ink)


def render_id1(rng: np.random.Generator, back: bool, ppm: float) -> np.ndarray:
    """ID-1 card (85.6 x 53.98 mm) as RGBA."""
    w, h = int(round(85.6 * ppm)), int(round(53.98 * ppm))
    img = security_pattern(rng, h, w)
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    fnt = FONT_FILES[int(rng.integers(0, len(FONT_FILES)))]
    ink = rcolor(rng, 0, 70)
    label_ink = tuple(int(v) for v in np.clip(np.array(ink) + rng.integers(40, 120), 0, 255))
    p = person(rng)
    if not back:
        # header band
        if rng.random() < 0.7:
            band_h = int(h * rng.uniform(0.12, 0.2))
            col = rcolor(rng, 20, 200)
            d.rectangle([0, 0, w, band_h], fill=col)
            d.text((w * rng.uniform(0.03, 0.3), band_h * 0.15), TITLES[int(rng.integers(0, len(TITLES)))],
                   font=font(fnt, band_h * 0.6), fill=(255, 255, 255) if sum(col) < 380 else (20, 20, 20))
            top = band_h
        else:
            d.text((w * 0.04, h * 0.03), TITLES[int(rng.integers(0, len(TITLES)))], font=font(fnt, h * 0.09), fill=ink)
            top = int(h * 0.14)
        left_portrait = rng.random() < 0.8
        ph = int(h * rng.uniform(0.5, 0.68))
        pw = int(ph * rng.uniform(0.72, 0.82))
        px = int(w * 0.04) if left_portrait else int(w - pw - w * 0.04)
        py = int(top + h * 0.05)
        py = min(py, h - ph - 4)
        pil.paste(Image.fromarray(portrait(rng, ph, pw)), (px, py))
        fx = px + pw + w * 0.04 if left_portrait else w * 0.04
        fw = w - pw - w * 0.12
        draw_text_block(d, rng, fx, top + h * 0.04, fw, h - top - h * 0.16, ppm, fnt, ink, label_ink)
        # signature
        sx, sy = (px, py + ph + 2) if rng.random() < 0.5 else (fx, h * 0.85)
        pts = [(sx + i * w * 0.012, sy + h * 0.04 * math.sin(i * rng.uniform(0.5, 1.5))) for i in range(16)]
        d.line(pts, fill=(20, 20, 90), width=1)
        if rng.random() < 0.4:  # ghost portrait
            g = portrait(rng, int(h * 0.25), int(h * 0.2))
            g = (0.35 * g + 0.65 * 255).astype(np.uint8)
            pil.paste(Image.fromarray(g), (int(w * rng.uniform(0.72, 0.8)), int(h * 0.68)))
        if rng.random() < 0.3:  # chip on the front
            cx0, cy0 = int(fx), int(h * 0.45)
            d.rounded_rectangle([cx0, cy0, cx0 + w * 0.12, cy0 + h * 0.16], radius=3, fill=(205, 170, 80),
                                outline=(120, 90, 40))
    else:
        # back: barcode/fields on top, TD1 MRZ at the bottom
        if rng.random() < 0.5:
            d.rectangle([w * 0.05, h * 0.06, w * 0.95, h * 0.28], fill=(250, 250, 250))
            for i in range(int(rng.integers(30, 70))):
                xx = w * 0.06 + i * w * 0.012
                d.line([(xx, h * 0.08), (xx, h * 0.26)], fill=(10, 10, 10), width=int(rng.integers(1, 3)))
        else:
            draw_text_block(d, rng, w * 0.05, h * 0.05, w * 0.6, h * 0.4, ppm, fnt, ink, label_ink)
        if rng.random() < 0.5:
            d.rounded_rectangle([w * 0.7, h * 0.1, w * 0.83, h * 0.3], radius=3, fill=(205, 170, 80))
        zone_h = h * rng.uniform(0.33, 0.38)
        d.rectangle([0, h - zone_h - 2, w, h], fill=tuple(int(v) for v in rng.integers(225, 256, 3)))
        l1, l2, l3 = mrz_a.td1(["I", "ID", "IR", "AC", "C"][int(rng.integers(0, 5))], p["state"], p["number"], "",
                               p["dob"], p["sex"], p["expiry"], p["nat"], "", p["surname"], p["given"])
        mrz_lines(d, rng, [l1, l2, l3], w * 0.05, h - zone_h + zone_h * 0.08, w * 0.9, zone_h * 0.3, (15, 15, 15))
    rgba = np.dstack([np.asarray(pil), rounded_mask(h, w, max(2, int(3.18 * ppm)))])
    return rgba


def render_td3(rng: np.random.Generator, ppm: float) -> tuple[np.ndarray, np.ndarray]:
    """TD3 passport data page (125 x 88 mm), sometimes with the facing page and cover edge.

    Returns (rgba, corners of the data page in texture pixel-centre coordinates)."""
    w, h = int(round(125 * ppm)), int(round(88 * ppm))
    img = security_pattern(rng, h, w)
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    fnt = FONT_FILES[int(rng.integers(0, len(FONT_FILES)))]
    ink = rcolor(rng, 0, 70)
    label_ink = tuple(int(v) for v in np.clip(np.array(ink) + rng.integers(40, 120), 0, 255))
    p = person(rng)
    d.text((w * rng.uniform(0.03, 0.4), h * 0.03), TITLES[int(rng.integers(0, len(TITLES)))], font=font(fnt, h * 0.06),
           fill=ink)
    ph = int(h * rng.uniform(0.42, 0.52))
    pw = int(ph * 0.78)
    px, py = int(w * 0.04), int(h * 0.14)
    pil.paste(Image.fromarray(portrait(rng, ph, pw)), (px, py))
    draw_text_block(d, rng, px + pw + w * 0.04, h * 0.12, w * 0.6, h * 0.58, ppm, fnt, ink, label_ink)
    zone_h = h * rng.uniform(0.2, 0.24)
    d.rectangle([0, h - zone_h, w, h], fill=tuple(int(v) for v in rng.integers(225, 256, 3)))
    l1, l2 = mrz_a.td3("P", p["state"], p["surname"], p["given"], p["number"], p["nat"], p["dob"], p["sex"],
                       p["expiry"], rdocnum(rng) if rng.random() < 0.5 else "")
    mrz_lines(d, rng, [l1, l2], w * 0.04, h - zone_h + zone_h * 0.12, w * 0.92, zone_h * 0.42, (15, 15, 15))
    page = np.dstack([np.asarray(pil), np.full((h, w), 255, np.uint8)])
    corners = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]], np.float32)
    if rng.random() < 0.55:
        # open booklet: facing page above, cover margin around both pages
        m = int(ppm * rng.uniform(1.5, 4))
        upper_h = int(h * rng.uniform(0.3, 1.0)) if rng.random() < 0.7 else h
        cover = rcolor(rng, 10, 120)
        big = np.zeros((upper_h + h + 2 * m, w + 2 * m, 4), np.uint8)
        big[..., :3] = cover
        big[..., 3] = 255
        up = security_pattern(rng, h, w)
        up = up[h - upper_h:]
        big[m:m + upper_h, m:m + w, :3] = up
        # the fold
        cv2.line(big, (m, m + upper_h), (m + w, m + upper_h), (90, 90, 90), 1, cv2.LINE_AA)
        big[m + upper_h:m + upper_h + h, m:m + w] = page
        page = big
        corners = corners + np.array([m, m + upper_h], np.float32)
    return page, corners


def render_payment_card(rng: np.random.Generator, ppm: float) -> np.ndarray:
    """An ID-1 sized card that is not an identity document (hard negative / clutter)."""
    w, h = int(round(85.6 * ppm)), int(round(53.98 * ppm))
    c1, c2 = np.array(rcolor(rng)), np.array(rcolor(rng))
    t = np.linspace(0, 1, w)[None, :, None]
    img = (c1 * (1 - t) + c2 * t + np.zeros((h, 1, 1))).astype(np.uint8)
    pil = Image.fromarray(np.ascontiguousarray(img))
    d = ImageDraw.Draw(pil)
    light = sum(c1) + sum(c2) > 700
    ink = (20, 20, 20) if light else (235, 235, 235)
    fnt = FONT_FILES[int(rng.integers(0, len(FONT_FILES)))]
    if rng.random() < 0.8:
        d.rounded_rectangle([w * 0.1, h * 0.35, w * 0.24, h * 0.55], radius=3, fill=(205, 170, 80))
    num = " ".join(f"{rng.integers(0, 10000):04d}" for _ in range(4))
    d.text((w * 0.08, h * 0.62), num, font=font(fnt, h * 0.1), fill=ink)
    d.text((w * 0.08, h * 0.8), rname(rng) + " " + rname(rng), font=font(fnt, h * 0.07), fill=ink)
    for k in range(int(rng.integers(1, 3))):
        cv2_c = rcolor(rng)
        d.ellipse([w * (0.65 + 0.1 * k), h * 0.7, w * (0.8 + 0.1 * k), h * 0.92], fill=cv2_c)
    d.text((w * 0.08, h * 0.08), rname(rng, 1, 3), font=font(fnt, h * 0.14), fill=ink)
    return np.dstack([np.asarray(pil), rounded_mask(h, w, max(2, int(3.18 * ppm)))])


# --------------------------------------------------------------------------- backgrounds

def value_noise(rng: np.random.Generator, h: int, w: int, octaves: int = 4, base: int = 4) -> np.ndarray:
    out = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        n = base * (2 ** o)
        small = rng.random((max(2, n * h // w), n)).astype(np.float32)
        out += amp * cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        tot += amp
        amp *= 0.5
    return out / tot


def background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    k = rng.integers(0, 9)
    c1 = np.array(rcolor(rng), np.float32)
    c2 = np.array(rcolor(rng), np.float32)
    if k == 0:  # wood grain
        c1 = np.array([rng.uniform(90, 200), 0, 0], np.float32)
        c1[1] = c1[0] * rng.uniform(0.55, 0.75)
        c1[2] = c1[0] * rng.uniform(0.3, 0.5)
        c2 = c1 * rng.uniform(0.55, 0.85)
        n = value_noise(rng, h, w, 3, 2)
        yy = np.arange(h, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        ang = rng.uniform(0, np.pi)
        coord = xx * math.cos(ang) + yy * math.sin(ang)
        g = 0.5 + 0.5 * np.sin(coord * rng.uniform(0.05, 0.3) + n * rng.uniform(5, 20))
        img = c1 * (1 - g[..., None]) + c2 * g[..., None]
    elif k == 1:  # fabric weave
        yy = np.arange(h, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        f = rng.uniform(0.6, 2.5)
        g = 0.5 + 0.25 * np.sin(xx * f) * np.sign(np.sin(yy * f * 0.5)) + 0.25 * np.sin(yy * f)
        g = g * 0.4 + value_noise(rng, h, w, 3, 3) * 0.6
        img = c1 * (1 - g[..., None]) + c2 * g[..., None] * 0.7
    elif k == 2:  # value noise / stone
        g = value_noise(rng, h, w, 5, int(rng.integers(2, 8)))
        if rng.random() < 0.5:
            g = np.abs(np.sin(g * rng.uniform(8, 25)))
        img = c1 * (1 - g[..., None]) + c2 * g[..., None]
    elif k == 3:  # tiles / grid
        img = np.zeros((h, w, 3), np.float32) + c1
        step = int(rng.integers(12, 80))
        for x in range(int(rng.integers(0, step)), w, step):
            img[:, x:x + int(rng.integers(1, 4))] = c2
        for y in range(int(rng.integers(0, step)), h, step):
            img[y:y + int(rng.integers(1, 4)), :] = c2
    elif k == 4 and fixtures():  # a photograph (CC0 / public domain fixtures)
        ph = fixtures()[int(rng.integers(0, len(fixtures())))]
        s = rng.uniform(0.3, 1.0)
        ch, cw = int(ph.shape[0] * s), int(ph.shape[1] * s)
        y0, x0 = int(rng.integers(0, ph.shape[0] - ch + 1)), int(rng.integers(0, ph.shape[1] - cw + 1))
        img = cv2.resize(ph[y0:y0 + ch, x0:x0 + cw], (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    elif k == 5:  # carpet
        g = rng.random((h, w)).astype(np.float32)
        g = cv2.GaussianBlur(g, (0, 0), rng.uniform(0.5, 1.5)) * 0.6 + value_noise(rng, h, w, 3, 3) * 0.4
        img = c1 * (1 - g[..., None]) + c2 * g[..., None]
    else:  # plain desk with a gradient (white, grey, black, coloured)
        if rng.random() < 0.5:
            v = rng.choice([rng.uniform(200, 255), rng.uniform(10, 60), rng.uniform(90, 170)])
            c1 = np.array([v, v, v], np.float32) * rng.uniform(0.9, 1.1, 3)
        g = np.linspace(0, 1, w, dtype=np.float32)[None, :, None] * rng.uniform(-0.3, 0.3)
        img = c1 * (1 + g) + np.zeros((h, 1, 1), np.float32)
        img += (value_noise(rng, h, w, 2, 3)[..., None] - 0.5) * rng.uniform(0, 30)
    return np.clip(img, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- geometry and compositing

def project_quad(rng: np.random.Generator, cx: float, cy: float, w: float, h: float, roll: float, pitch: float,
                 yaw: float, focal: float) -> np.ndarray:
    """Corners TL, TR, BR, BL of a w x h rectangle turned in 3D and seen by a pinhole camera."""
    pts = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]], np.float64)
    cr, sr = math.cos(roll), math.sin(roll)
    cp, sp = math.cos(pitch), math.sin(pitch)
    cyw, syw = math.cos(yaw), math.sin(yaw)
    rz = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    ry = np.array([[cyw, 0, syw], [0, 1, 0], [-syw, 0, cyw]])
    p = pts @ (ry @ rx @ rz).T
    z = focal + p[:, 2]
    return np.stack([cx + focal * p[:, 0] / z, cy + focal * p[:, 1] / z], 1).astype(np.float32)


def quad_area(q: np.ndarray) -> float:
    x, y = q[:, 0], q[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def warp_rgba(tex: np.ndarray, src: np.ndarray, dst: np.ndarray, h: int, w: int) -> np.ndarray:
    """Warp an RGBA texture so that points src land on dst; pre-reduces large textures to avoid aliasing."""
    side = max(np.linalg.norm(dst[1] - dst[0]), np.linalg.norm(dst[2] - dst[1]), np.linalg.norm(dst[3] - dst[2]),
               np.linalg.norm(dst[0] - dst[3]))
    tside = max(np.linalg.norm(src[1] - src[0]), np.linalg.norm(src[2] - src[1]))
    f = side / max(tside, 1)
    if f < 0.7:
        f = max(f * 1.3, 0.02)
        th, tw = max(2, int(round(tex.shape[0] * f))), max(2, int(round(tex.shape[1] * f)))
        sx, sy = tw / tex.shape[1], th / tex.shape[0]
        tex = cv2.resize(tex, (tw, th), interpolation=cv2.INTER_AREA)
        src = (src + 0.5) * np.array([sx, sy], np.float32) - 0.5
    H = cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32))
    return cv2.warpPerspective(tex, H, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                               borderValue=(0, 0, 0, 0))


def composite(dst: np.ndarray, rgba: np.ndarray) -> None:
    a = rgba[..., 3:4].astype(np.float32) / 255.0
    dst[:] = (dst.astype(np.float32) * (1 - a) + rgba[..., :3].astype(np.float32) * a).astype(np.uint8)


def tex_corners(tex: np.ndarray) -> np.ndarray:
    h, w = tex.shape[:2]
    return np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]], np.float32)


def random_quad(rng: np.random.Generator, H: int, W: int, area_frac: float, aspect: float,
                roll_range: float = np.pi) -> np.ndarray:
    area = area_frac * H * W
    w = math.sqrt(area * aspect)
    h = w / aspect
    return project_quad(rng, rng.uniform(-0.2, 1.2) * W, rng.uniform(-0.2, 1.2) * H, w, h,
                        rng.uniform(-roll_range, roll_range), rng.normal(0, 0.3), rng.normal(0, 0.3), W * 1.2)


def shadow(img: np.ndarray, mask: np.ndarray, rng: np.random.Generator, dx: float, dy: float, sigma: float,
           strength: float) -> None:
    M = np.float32([[1, 0, dx], [0, 1, dy]])
    m = cv2.warpAffine(mask, M, (img.shape[1], img.shape[0]))
    m = cv2.GaussianBlur(m.astype(np.float32) / 255.0, (0, 0), max(0.5, sigma))
    img[:] = (img.astype(np.float32) * (1 - strength * m[..., None])).astype(np.uint8)


def paper_sheet(rng: np.random.Generator, ppm: float) -> np.ndarray:
    w, h = int(210 * ppm * rng.uniform(0.3, 1.0)), int(297 * ppm * rng.uniform(0.3, 1.0))
    col = np.array([rng.uniform(225, 255)] * 3) * rng.uniform(0.92, 1.0, 3)
    img = np.zeros((h, w, 3), np.uint8) + col.astype(np.uint8)
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    fnt = FONT_FILES[int(rng.integers(0, len(FONT_FILES)))]
    size = int(rng.uniform(2.5, 5) * ppm)
    y = size
    while y < h - size:
        if rng.random() < 0.85:
            d.text((size, y), " ".join(rname(rng, 1, 3).lower() for _ in range(int(rng.integers(3, 12)))),
                   font=font(fnt, size), fill=(40, 40, 40))
        y += int(size * 1.5)
    if rng.random() < 0.3:  # form boxes
        for _ in range(int(rng.integers(1, 5))):
            x0, y0 = rng.uniform(0, w * 0.7), rng.uniform(0, h * 0.8)
            d.rectangle([x0, y0, x0 + rng.uniform(20, w * 0.3), y0 + rng.uniform(10, h * 0.2)], outline=(60, 60, 60))
    return np.dstack([np.asarray(pil), np.full((h, w), 255, np.uint8)])


def screen(rng: np.random.Generator, ppm: float) -> np.ndarray:
    """A phone or monitor: dark bezel, bright content."""
    if rng.random() < 0.6:
        w, h = int(70 * ppm), int(150 * ppm)
        if rng.random() < 0.5:
            w, h = h, w
    else:
        w, h = int(300 * ppm * rng.uniform(0.5, 1)), int(190 * ppm * rng.uniform(0.5, 1))
    img = np.full((h, w, 3), rcolor(rng, 0, 50), np.uint8)
    b = int(min(w, h) * rng.uniform(0.03, 0.08))
    content = background(rng, h - 2 * b, w - 2 * b)
    if rng.random() < 0.5:  # a window with text
        pil = Image.fromarray(content)
        d = ImageDraw.Draw(pil)
        x0, y0 = rng.uniform(0, 0.3) * content.shape[1], rng.uniform(0, 0.3) * content.shape[0]
        d.rectangle([x0, y0, x0 + content.shape[1] * 0.6, y0 + content.shape[0] * 0.6], fill=(245, 245, 245))
        for i in range(6):
            d.text((x0 + 4, y0 + 4 + i * 12), rname(rng), font=font(FONT_FILES[0], 9), fill=(30, 30, 30))
        content = np.asarray(pil)
    img[b:h - b, b:w - b] = np.clip(content.astype(np.float32) * rng.uniform(1.0, 1.4) + 20, 0, 255).astype(np.uint8)
    return np.dstack([img, rounded_mask(h, w, max(2, int(min(w, h) * 0.06)))])


def small_object(rng: np.random.Generator, img: np.ndarray) -> None:
    """Pens, coins, keys, sticky notes, cables drawn straight into the scene."""
    H, W = img.shape[:2]
    k = rng.integers(0, 5)
    col = rcolor(rng)
    cx, cy = int(rng.uniform(0, W)), int(rng.uniform(0, H))
    if k == 0:  # pen
        a = rng.uniform(0, np.pi)
        L = rng.uniform(0.2, 0.6) * W
        p1 = (int(cx - L / 2 * math.cos(a)), int(cy - L / 2 * math.sin(a)))
        p2 = (int(cx + L / 2 * math.cos(a)), int(cy + L / 2 * math.sin(a)))
        cv2.line(img, p1, p2, col, int(rng.integers(3, 9)), cv2.LINE_AA)
    elif k == 1:  # coin / mug top
        r = int(rng.uniform(0.03, 0.15) * W)
        cv2.circle(img, (cx, cy), r, col, -1, cv2.LINE_AA)
        cv2.circle(img, (cx, cy), r, tuple(int(c * 0.6) for c in col), 2, cv2.LINE_AA)
    elif k == 2:  # sticky note
        s = rng.uniform(0.08, 0.2) * W
        box = cv2.boxPoints(((cx, cy), (s, s), rng.uniform(0, 90))).astype(np.int32)
        cv2.fillPoly(img, [box], (int(rng.uniform(200, 255)), int(rng.uniform(180, 255)), int(rng.uniform(60, 160))),
                     cv2.LINE_AA)
    elif k == 3:  # cable
        pts = np.cumsum(rng.normal(0, 15, (12, 2)), 0) + np.array([cx, cy])
        cv2.polylines(img, [pts.astype(np.int32)], False, col, int(rng.integers(2, 6)), cv2.LINE_AA)
    else:  # text printed on the surface
        pil = Image.fromarray(img)
        ImageDraw.Draw(pil).text((cx, cy), rname(rng), font=font(FONT_FILES[int(rng.integers(0, len(FONT_FILES)))],
                                                                  int(rng.uniform(8, 30))), fill=col)
        img[:] = np.asarray(pil)


def hand(rng: np.random.Generator, img: np.ndarray, anchor: np.ndarray, toward: np.ndarray, scale: float) -> None:
    """A hand-like occluder: palm outside the document and a thumb reaching over the anchor point."""
    skin = np.array([rng.uniform(110, 240), 0, 0])
    skin[1] = skin[0] * rng.uniform(0.68, 0.82)
    skin[2] = skin[0] * rng.uniform(0.5, 0.7)
    col = tuple(int(v) for v in skin)
    d = anchor - toward
    n = d / (np.linalg.norm(d) + 1e-6)
    palm = anchor + n * scale * 0.9
    ang = math.degrees(math.atan2(n[1], n[0]))
    ov = np.zeros(img.shape[:2], np.uint8)
    cv2.ellipse(ov, tuple(int(v) for v in palm), (int(scale * 0.8), int(scale * 0.55)), ang, 0, 360, 255, -1,
                cv2.LINE_AA)
    tip = anchor - n * scale * rng.uniform(0.0, 0.35) + rng.normal(0, scale * 0.15, 2)
    cv2.line(ov, tuple(int(v) for v in palm), tuple(int(v) for v in tip), 255, max(2, int(scale * 0.3)), cv2.LINE_AA)
    cv2.circle(ov, tuple(int(v) for v in tip), max(1, int(scale * 0.15)), 255, -1, cv2.LINE_AA)
    a = cv2.GaussianBlur(ov, (0, 0), 0.8).astype(np.float32)[..., None] / 255.0
    shade = (value_noise(rng, img.shape[0], img.shape[1], 2, 2)[..., None] * 0.3 + 0.8)
    layer = np.array(col, np.float32)[None, None] * shade
    img[:] = (img * (1 - a) + layer * a).astype(np.uint8)


# --------------------------------------------------------------------------- camera effects

def lighting(rng: np.random.Generator, img: np.ndarray) -> np.ndarray:
    H, W = img.shape[:2]
    f = img.astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    g = 1 + rng.uniform(-0.35, 0.35) * (xx / W - 0.5) + rng.uniform(-0.35, 0.35) * (yy / H - 0.5)
    if rng.random() < 0.5:  # vignette
        r2 = ((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2)
        g *= 1 - rng.uniform(0, 0.8) * r2
    gain = rng.uniform(0.45, 1.35) if rng.random() < 0.8 else rng.uniform(0.2, 1.8)
    cast = rng.uniform(0.85, 1.15, 3).astype(np.float32)
    f = f * (g[..., None] * gain) * cast
    if rng.random() < 0.35:  # cast shadow of the phone / a hand
        poly = np.array([[rng.uniform(-0.2, 1.2) * W, rng.uniform(-0.2, 1.2) * H] for _ in range(int(rng.integers(3, 6)))],
                        np.int32)
        m = np.zeros((H, W), np.float32)
        cv2.fillPoly(m, [poly], 1.0)
        m = cv2.GaussianBlur(m, (0, 0), rng.uniform(2, 15))
        f *= (1 - rng.uniform(0.25, 0.65) * m)[..., None]
    return f


def glare(rng: np.random.Generator, f: np.ndarray, quad: np.ndarray | None) -> None:
    H, W = f.shape[:2]
    n = int(rng.integers(1, 3))
    for _ in range(n):
        if quad is not None and rng.random() < 0.8:
            wts = rng.dirichlet([1, 1, 1, 1])
            c = (quad * wts[:, None]).sum(0)
        else:
            c = np.array([rng.uniform(0, W), rng.uniform(0, H)])
        ax = (rng.uniform(0.03, 0.25) * W, rng.uniform(0.02, 0.12) * W)
        m = np.zeros((H, W), np.float32)
        cv2.ellipse(m, (int(c[0]), int(c[1])), (int(ax[0]), int(ax[1])), rng.uniform(0, 180), 0, 360, 1.0, -1)
        m = cv2.GaussianBlur(m, (0, 0), max(1.0, ax[1] * rng.uniform(0.2, 0.8)))
        f += (m * rng.uniform(80, 400))[..., None]


def blur(rng: np.random.Generator, img: np.ndarray) -> np.ndarray:
    r = rng.random()
    if r < 0.25:
        return cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 3.0))
    if r < 0.4:
        L = int(rng.integers(3, 16))
        k = np.zeros((L, L), np.float32)
        k[L // 2, :] = 1
        M = cv2.getRotationMatrix2D((L / 2 - 0.5, L / 2 - 0.5), rng.uniform(0, 180), 1)
        k = cv2.warpAffine(k, M, (L, L))
        k /= max(k.sum(), 1e-6)
        return cv2.filter2D(img, -1, k)
    return img


# --------------------------------------------------------------------------- frames

@dataclass
class Frame:
    image: np.ndarray  # (h, w, 3) uint8 RGB
    present: bool
    kind: int
    corners: np.ndarray  # (4, 2) float32 output-frame pixels (continuous), zeros when absent
    content: np.ndarray  # (4,) x0, y0, x1, y1 of the camera image inside the letterboxed frame
    neg_kind: int = -1
    meta: dict = field(default_factory=dict)


def letterbox_geometry(W: int, H: int, aspect: float) -> tuple[int, int, int, int]:
    """Content rectangle (x0, y0, w, h) of a camera image of the given aspect fitted into W x H."""
    if aspect >= W / H:
        cw, ch = W, int(round(W / aspect))
    else:
        cw, ch = int(round(H * aspect)), H
    return (W - cw) // 2, (H - ch) // 2, cw, ch


PAD_VALUE = 114

# share of frames without a document; generate.py --neg-rate changes it (e.g. 1.0 for a negatives-only split)
NEG_RATE = 0.16

# How often a scene holds what the pipeline gets most wrong (models/document/README.md, run g2): another
# card or a sheet over the document (`occluder`, placed over one of its corners when `occluder_on_corner`),
# glare, and a background tinted like the document's own border (`camouflage`), so that the border barely
# shows and a printed band inside it is the strongest edge. generate.py --focus tail raises them. Only the
# thresholds change and the defaults draw nothing extra, so every seed renders the same frames as before.
# `roll_cuts` splits one draw into the document's roll: near upright below the first cut, any roll up to
# ±0.8 rad below the second, a quarter turn below the third, else a half turn. --focus turns makes the
# turned documents common, since the second look turns its window by the first look's reading order.
# `near_edge` moves a document placed whole in the frame until its outermost point towards one edge lies
# just inside or just outside that edge (along_frame_edge): --focus edge makes that common, meant to teach
# where the frame's edge cuts a corner off rather than that documents are often cut off (what g5 learnt
# from --focus cut). g6, trained on it, learnt the same as g5 all the same (models/document/README.md).
SCENE_ODDS = dict(occluder=0.12, occluder_on_corner=0.0, glare=0.4, camouflage=0.0, roll_cuts=(0.7, 0.86, 0.96),
                  cut_off=0.24, near_edge=0.0)
FOCUS_ODDS = {"tail": dict(occluder=0.4, occluder_on_corner=0.8, glare=0.55, camouflage=0.35),
              "turns": dict(roll_cuts=(0.4, 0.55, 0.8)), "cut": dict(cut_off=0.6), "edge": dict(near_edge=0.5)}

# How far, as a share of the frame's shorter side, along_frame_edge puts the document's outermost point
# outside (negative) or inside the edge.
NEAR_EDGE_GAP = (-0.04, 0.04)


def along_frame_edge(rng: np.random.Generator, q: np.ndarray, bw: int, bh: int) -> np.ndarray:
    """The quad moved across one frame edge so that its outermost point lies NEAR_EDGE_GAP from it."""
    side = int(rng.integers(0, 4))  # left, top, right, bottom
    gap = rng.uniform(*NEAR_EDGE_GAP) * min(bw, bh)
    axis = side % 2
    edge = -0.5 if side < 2 else (bw, bh)[axis] - 0.5
    outermost = q[:, axis].min() if side < 2 else q[:, axis].max()
    target = edge + gap if side < 2 else edge - gap
    moved = q.copy()
    moved[:, axis] += target - outermost
    return moved


def camouflage(rng: np.random.Generator, img: np.ndarray, tex: np.ndarray) -> None:
    """Tints the scene towards the colour of the document's border (the outer ring of its texture)."""
    ring = np.concatenate([tex[:3].reshape(-1, 4), tex[-3:].reshape(-1, 4), tex[:, :3].reshape(-1, 4),
                           tex[:, -3:].reshape(-1, 4)])
    ring = ring[ring[:, 3] > 0, :3].astype(np.float32)
    if len(ring) == 0:
        return
    colour = ring.mean(0) * rng.uniform(0.85, 1.1, 3)
    a = rng.uniform(0.6, 0.92)
    img[:] = np.clip(img.astype(np.float32) * (1 - a) + colour * a, 0, 255).astype(np.uint8)


def render_frame(seed: int, out_w: int = 160, out_h: int = 120) -> Frame:
    rng = np.random.default_rng(seed)
    S = 2
    W2, H2 = out_w * S, out_h * S
    # camera aspect: mostly 4:3, sometimes 16:9 landscape or 3:4 portrait (letterboxed)
    r = rng.random()
    aspect = 4 / 3 if r < 0.84 else (16 / 9 if r < 0.92 else 3 / 4)
    bx, by, bw, bh = letterbox_geometry(W2, H2, aspect)
    img = background(rng, bh, bw)
    ppm = rng.uniform(3.0, 5.0)

    # distractors behind the document
    neg_kind = NEG_PLAIN
    present = rng.random() >= NEG_RATE
    n_clutter = int(rng.integers(0, 4)) if rng.random() < 0.7 else 0
    hard = None
    if not present:
        hard = rng.choice([NEG_PLAIN, NEG_PAPER, NEG_CARD, NEG_SCREEN, NEG_PHOTO, NEG_CLUTTER],
                          p=[0.1, 0.22, 0.22, 0.18, 0.12, 0.16])
        neg_kind = int(hard)
        n_clutter = int(rng.integers(0, 3)) + (3 if hard == NEG_CLUTTER else 0)
    for _ in range(n_clutter):
        t = rng.random()
        if t < 0.35:
            small_object(rng, img)
            continue
        tex = paper_sheet(rng, ppm * 0.6) if t < 0.6 else (render_payment_card(rng, ppm) if t < 0.8 else screen(rng, ppm * 0.5))
        q = random_quad(rng, bh, bw, rng.uniform(0.05, 0.6), tex.shape[1] / tex.shape[0])
        composite(img, warp_rgba(tex, tex_corners(tex), q, bh, bw))
    if hard in (NEG_PAPER, NEG_CARD, NEG_SCREEN):
        tex = {NEG_PAPER: lambda: paper_sheet(rng, ppm * 0.6), NEG_CARD: lambda: render_payment_card(rng, ppm),
               NEG_SCREEN: lambda: screen(rng, ppm * 0.5)}[hard]()
        a = tex.shape[1] / tex.shape[0]
        q = project_quad(rng, rng.uniform(0.3, 0.7) * bw, rng.uniform(0.3, 0.7) * bh,
                         math.sqrt(rng.uniform(0.1, 0.7) * bw * bh * a), math.sqrt(rng.uniform(0.1, 0.7) * bw * bh * a) / a,
                         rng.normal(0, 0.3), rng.normal(0, 0.2), rng.normal(0, 0.2), bw * 1.2)
        m = warp_rgba(tex, tex_corners(tex), q, bh, bw)
        if rng.random() < 0.6:
            shadow(img, m[..., 3], rng, rng.uniform(-6, 6), rng.uniform(-6, 6), rng.uniform(1, 6), rng.uniform(0.2, 0.5))
        composite(img, m)
        if rng.random() < 0.3:
            hand(rng, img, q[int(rng.integers(0, 4))], q.mean(0), rng.uniform(0.08, 0.2) * bw)
    if hard == NEG_PHOTO and fixtures():
        ph = fixtures()[int(rng.integers(0, len(fixtures())))]
        s = rng.uniform(0.35, 1.0)
        ch, cw = int(ph.shape[0] * s), int(ph.shape[1] * s * rng.uniform(0.8, 1.2))
        cw = min(cw, ph.shape[1])
        y0, x0 = int(rng.integers(0, ph.shape[0] - ch + 1)), int(rng.integers(0, ph.shape[1] - cw + 1))
        crop = ph[y0:y0 + ch, x0:x0 + cw]
        if rng.random() < 0.6:
            img = cv2.resize(crop, (bw, bh), interpolation=cv2.INTER_AREA)
        else:  # a printed photo lying in the scene
            tex = np.dstack([crop, np.full(crop.shape[:2], 255, np.uint8)])
            q = random_quad(rng, bh, bw, rng.uniform(0.15, 0.6), cw / ch, 0.5)
            composite(img, warp_rgba(tex, tex_corners(tex), q, bh, bw))

    quad = None
    kind = KIND_NONE
    meta: dict = {}
    if present:
        kr = rng.random()
        if kr < 0.4:
            kind, tex = KIND_ID_FRONT, render_id1(rng, False, ppm)
            src = tex_corners(tex)
        elif kr < 0.65:
            kind, tex = KIND_ID_BACK, render_id1(rng, True, ppm)
            src = tex_corners(tex)
        else:
            kind = KIND_TD3
            tex, src = render_td3(rng, ppm * 0.85)
        doc_aspect = 85.6 / 53.98 if kind != KIND_TD3 else 125 / 88
        cut = rng.random() < SCENE_ODDS["cut_off"]
        zr = rng.random()
        fill = rng.uniform(0.3, 0.85) if zr < 0.5 else (rng.uniform(0.1, 0.3) if zr < 0.82 else rng.uniform(0.02, 0.1))
        if cut:
            fill = rng.uniform(0.15, 1.1)
        rr = rng.random()
        upright, tilted, quarter = SCENE_ODDS["roll_cuts"]
        roll = rng.normal(0, 0.1) if rr < upright else (rng.uniform(-0.8, 0.8) if rr < tilted else (
            rng.choice([-1, 1]) * np.pi / 2 + rng.normal(0, 0.15) if rr < quarter else np.pi + rng.normal(0, 0.15)))
        tilt = rng.uniform(0.05, 0.45) if rng.random() < 0.7 else rng.uniform(0.45, 0.75)
        focal = bw * rng.uniform(0.8, 1.6)
        for _attempt in range(30):
            area = fill * bw * bh
            dw = math.sqrt(area * doc_aspect)
            dh = dw / doc_aspect
            ta = rng.uniform(0, 2 * np.pi)
            pitch, yaw = tilt * math.sin(ta) * rng.uniform(0.3, 1), tilt * math.cos(ta) * rng.uniform(0.3, 1)
            if cut:
                cx, cy = rng.uniform(-0.05, 1.05) * bw, rng.uniform(-0.05, 1.05) * bh
            else:
                cx, cy = rng.uniform(0.25, 0.75) * bw, rng.uniform(0.25, 0.75) * bh
            q = project_quad(rng, cx, cy, dw, dh, roll, pitch, yaw, focal)
            inside = (q[:, 0] >= -0.5) & (q[:, 0] <= bw - 0.5) & (q[:, 1] >= -0.5) & (q[:, 1] <= bh - 0.5)
            if cut and not inside.all():
                # keep at least some of the document visible
                vis = cv2.intersectConvexConvex(q.astype(np.float32),
                                                np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32))[0]
                if vis > 0.25 * quad_area(q):
                    break
            if not cut and inside.all():
                break
            if not cut:
                fill *= 0.92
        if SCENE_ODDS["near_edge"] > 0 and not cut and rng.random() < SCENE_ODDS["near_edge"]:
            q = along_frame_edge(rng, q, bw, bh)
        quad = q
        # texture -> scene homography from the data-page corners
        Hm = cv2.getPerspectiveTransform(src.astype(np.float32), quad.astype(np.float32))
        allc = tex_corners(tex)
        scene_c = cv2.perspectiveTransform(allc[None], Hm)[0]
        warped = warp_rgba(tex, allc, scene_c, bh, bw)
        if SCENE_ODDS["camouflage"] > 0 and rng.random() < SCENE_ODDS["camouflage"]:
            camouflage(rng, img, tex)
        if rng.random() < 0.75:
            shadow(img, warped[..., 3], rng, rng.uniform(-8, 8), rng.uniform(-2, 10), rng.uniform(1, 8),
                   rng.uniform(0.2, 0.6))
        composite(img, warped)
        # clutter over the document: other cards, paper at the edge, fingers
        if rng.random() < SCENE_ODDS["occluder"]:
            tex2 = render_payment_card(rng, ppm) if rng.random() < 0.5 else paper_sheet(rng, ppm * 0.6)
            q2 = random_quad(rng, bh, bw, rng.uniform(0.03, 0.3), tex2.shape[1] / tex2.shape[0])
            if SCENE_ODDS["occluder_on_corner"] > 0 and rng.random() < SCENE_ODDS["occluder_on_corner"]:
                # over one corner, covering it or reaching just past it
                corner = quad[int(rng.integers(0, 4))]
                q2 = q2 + (corner + rng.normal(0, 0.08, 2) * (bw, bh) - q2.mean(0))
            composite(img, warp_rgba(tex2, tex_corners(tex2), q2, bh, bw))
        if rng.random() < 0.3:
            for _ in range(int(rng.integers(1, 3))):
                i = int(rng.integers(0, 4))
                t = rng.uniform(0, 1) if rng.random() < 0.5 else rng.uniform(0, 0.15)
                anchor = quad[i] * (1 - t) + quad[(i + 1) % 4] * t
                hand(rng, img, anchor, quad.mean(0), rng.uniform(0.05, 0.14) * bw)
        for _ in range(int(rng.integers(0, 2))):
            small_object(rng, img) if rng.random() < 0.3 else None
        meta["fill"] = quad_area(quad) / (bw * bh)

    f = lighting(rng, img)
    if rng.random() < SCENE_ODDS["glare"]:
        glare(rng, f, quad)
    img = np.clip(f, 0, 255).astype(np.uint8)
    img = blur(rng, img)
    # letterbox into the output canvas
    canvas = np.full((H2, W2, 3), PAD_VALUE, np.uint8)
    canvas[by:by + bh, bx:bx + bw] = img
    out = cv2.resize(canvas, (out_w, out_h), interpolation=cv2.INTER_AREA)
    # sensor noise and compression at output resolution
    if rng.random() < 0.8:
        sig = rng.uniform(1, 9)
        out = np.clip(out.astype(np.float32) + rng.normal(0, sig, out.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.2:
        g = rng.uniform(0.6, 1.5)
        out = (255 * (out / 255.0) ** g).astype(np.uint8)
    if rng.random() < 0.75:
        q = int(rng.uniform(25, 95))
        ok, enc = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, q])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)[..., ::-1]
    # re-pad exactly (noise/JPEG leak into the bars)
    ox0, oy0, ow, oh = bx / S, by / S, bw / S, bh / S
    content = np.array([ox0, oy0, ox0 + ow, oy0 + oh], np.float32)
    if aspect != 4 / 3:
        m = np.full(out.shape, PAD_VALUE, np.uint8)
        ix0, iy0, ix1, iy1 = int(math.ceil(ox0)), int(math.ceil(oy0)), int(ox0 + ow), int(oy0 + oh)
        m[iy0:iy1, ix0:ix1] = out[iy0:iy1, ix0:ix1]
        out = m
    corners = np.zeros((4, 2), np.float32)
    if quad is not None:
        corners = ((quad + 0.5) + np.array([bx, by], np.float32)) / S
    return Frame(np.ascontiguousarray(out), present, kind, corners.astype(np.float32), content,
                 neg_kind if not present else -1, meta)
