#!/usr/bin/env python3
"""Make static/img/signature.png, the demo signature that certificates print above the signer's line.

A real provider replaces it with a scan of the signer's signature (CERTIFICATE_SIGNATURE_IMAGE, or a
course's `certificate: signature:`): a PNG with a transparent background, about 3:1, dark ink.

This demo writes the signer's name in Dancing Script (SIL OFL 1.1; Debian: fonts-dancingscript),
slanted and slightly uneven like a pen's, in blue-black ink on a transparent background, then
underlines it with a tapering flourish. Run with the project's virtualenv (Pillow):

    apt-get install -y fonts-dancingscript
    .venv/bin/python scripts/make_signature.py

The output is deterministic: the pen's wobble comes from a fixed seed.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "img" / "signature.png"
SCRIPT_FONT = Path("/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf")
SIGNER = "Jennifer Huff"
INK = (22, 34, 74)  # blue-black, like a fountain pen
SIZE = (900, 300)  # drawn large, printed at about 150 x 50 pt: crisp at 300 dpi
SEED = 20261123


def main() -> int:
    if not SCRIPT_FONT.exists():
        print(f"missing {SCRIPT_FONT}: apt-get install -y fonts-dancingscript", file=sys.stderr)
        return 1
    rng = random.Random(SEED)
    layer = Image.new("L", SIZE, 0)
    _write_name(layer, rng)
    _draw_flourish(layer, rng)
    layer = _slant(layer, 0.18).filter(ImageFilter.GaussianBlur(0.6))
    signature = Image.new("RGBA", SIZE, (*INK, 0))
    signature.putalpha(layer)
    signature = signature.crop(signature.getbbox())
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    signature.save(OUTPUT, optimize=True)
    size_kb = OUTPUT.stat().st_size // 1024
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {signature.width}x{signature.height}, {size_kb} KB")
    return 0


def _write_name(layer: Image.Image, rng: random.Random) -> None:
    """Letter by letter, each a little off the baseline and size, as a hand writes."""
    draw = ImageDraw.Draw(layer)
    x, baseline = 60.0, 190.0
    for char in SIGNER:
        font = ImageFont.truetype(str(SCRIPT_FONT), 118 + rng.randint(-6, 6))
        draw.text((x, baseline + rng.uniform(-5, 5)), char, font=font, fill=255, anchor="ls",
                  stroke_width=1, stroke_fill=255)
        x += font.getlength(char) * 0.93  # joined script letters overlap a little


def _draw_flourish(layer: Image.Image, rng: random.Random) -> None:
    """One underline stroke that swells then thins out, rising to the right."""
    draw = ImageDraw.Draw(layer)
    steps = 900
    lift = rng.uniform(18, 24)
    for step in range(steps):
        t = step / steps
        x = 120 + t * 640
        y = 232 - lift * t + 6 * math.sin(t * math.pi * 1.4)
        radius = 0.8 + 2.6 * math.sin(math.pi * t) ** 0.7  # pressure: light at both ends
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)


def _slant(layer: Image.Image, shear: float) -> Image.Image:
    width, height = layer.size
    return layer.transform(
        (width, height), Image.Transform.AFFINE, (1, shear, -shear * height / 2, 0, 1, 0),
        resample=Image.Resampling.BICUBIC,
    )


if __name__ == "__main__":
    sys.exit(main())
