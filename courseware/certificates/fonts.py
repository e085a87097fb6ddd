"""The fonts that the certificate and transcript PDFs embed (files under static/fonts/, never system fonts).

Families, as fpdf2 names them (`pdf.set_font(family, style, size)`):

    SERIF = "EBGaramond"            styles "" and "I": EB Garamond, the display serif (titles, names, body),
                                    with lining figures. No bold: use size, colour or the sans bold.
    SANS = "DejaVuSansCondensed"    styles "" and "B": small print, labels, tables.
    FALLBACK = "DejaVuSans"         style "": every glyph DejaVu Sans has (Greek, Cyrillic, Armenian,
                                    Georgian, Hebrew, combining marks, ...), set as fpdf2's fallback font,
                                    so a character that the Latin fonts lack is drawn from it, not dropped.

`register_fonts(pdf)` adds them all. The serif and sans files hold only the Latin letters that names
use and common punctuation (static/fonts/README.md; scripts/make_certificate_fonts.py makes them),
because fpdf2 parses every registered font for each document and subsets it again on output: that,
not drawing, is most of a PDF's cost.
So a document that knows its text can do less, as the certificate does: `select_font` adds a family
the first time it is selected, and `register_fonts(pdf, text=...)` or `register_fallback(pdf, text)`
loads the large fallback only when some character of `text` needs it.

Text should be NFC-normalised (`printable`): without text shaping, "e" + a combining diaeresis prints as
two glyphs. CJK characters are in none of these fonts and print as empty boxes (fpdf2 logs them).

Setting type: `text_block(pdf, text, TextStyle(...), left, width, max_lines)` fits a text into a box
(`fit_text`: the largest size from a range at which it wraps into so many lines, balanced) and gives
its height and a function that draws it at a given top, so a layout can measure before it draws.
"""

from __future__ import annotations

import bisect
import importlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import Align

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"

SERIF = "EBGaramond"
SANS = "DejaVuSansCondensed"
FALLBACK = "DejaVuSans"

FONT_FILES = {
    (SERIF, ""): "EBGaramond-Regular.ttf",
    (SERIF, "I"): "EBGaramond-Italic.ttf",
    (SANS, ""): "DejaVuSansCondensed.ttf",
    (SANS, "B"): "DejaVuSansCondensed-Bold.ttf",
}
FALLBACK_FILE = "DejaVuSans-Fallback.ttf"

# Width at 1 pt of (family, style, fallback loaded?, character). The font files never change while
# the app runs, so widths measured in one document hold for every other.
_widths: dict[tuple[str, str, bool, str], float] = {}


def register_fonts(pdf: FPDF, text: str | None = None) -> None:
    """Add SERIF, SANS and FALLBACK to `pdf`; the fallback only if `text` (when given) needs it."""
    for family, style in FONT_FILES:
        _add(pdf, family, style)
    register_fallback(pdf, text)


def register_fallback(pdf: FPDF, text: str | None = None) -> None:
    """Add FALLBACK as fpdf2's fallback font, unless `text` is given and the Latin fonts cover it."""
    if FALLBACK.lower() in pdf.fonts or (text is not None and not needs_fallback(text)):
        return
    pdf.add_font(FALLBACK, "", FONT_DIR / FALLBACK_FILE)
    _keep_glyph_bounds(pdf, FALLBACK.lower())
    # One style for every style: a Greek name in italic still prints, upright.
    pdf.set_fallback_fonts([FALLBACK], exact_match=False)


# What fpdf2, fontTools and Pillow import lazily while drawing the first PDF. Importing them here,
# once, when the app starts, keeps imports out of request threads: there CPython 3.11 can fail an
# import with a KeyError from importlib's module locks (python/cpython#87712), which the threaded
# test server met as a 500 on a certificate PDF. Listed by diffing sys.modules around a first render.
_LAZY_IMPORTS = (
    "encodings.utf_32_be",
    "fontTools.ttLib.tables.O_S_2f_2",
    "fontTools.ttLib.tables._h_h_e_a",
    "fontTools.ttLib.tables._l_o_c_a",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.ImageChops",
    "PIL.ImageSequence",
    "PIL.JpegImagePlugin",
    "PIL.PngImagePlugin",
    "PIL.PpmImagePlugin",
)
for _module in _LAZY_IMPORTS:
    importlib.import_module(_module)


def select_font(pdf: FPDF, family: str, style: str, size: float) -> None:
    """`pdf.set_font`, adding the family on first use, and safe after a fallback character.

    fpdf2 2.8.9 switches to the fallback font inside a line and leaves it selected in the page's text
    state when the line ends with a fallback character, while it believes its own font still is; the
    next line would draw the primary font's glyph ids with the fallback font. Setting another size and
    back makes fpdf2 write the font operator again. Call it before every line.
    """
    _add(pdf, family, style)
    pdf.set_font(family, style, size)
    pdf.set_font_size(size + 1)
    pdf.set_font_size(size)


def printable(value):
    """`value` with every string in NFC (through dicts and lists), so that accented letters are the
    single glyphs the fonts have."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable(item) for item in value]
    return value


def needs_fallback(text: str) -> bool:
    """Whether some character of `text` is missing from one of the Latin fonts."""
    covered = latin_coverage()
    return any(ord(char) not in covered for char in set(text) - {"\n", "\r", "\t"})


@cache
def latin_coverage() -> frozenset[int]:
    """Code points that every Latin font has (read once: the font files never change at run time)."""
    cmaps = [set(TTFont(FONT_DIR / name, lazy=True).getBestCmap()) for name in FONT_FILES.values()]
    return frozenset(set.intersection(*cmaps))


class TextStyle(NamedTuple):
    """How a text is set: family and style, the size range it may shrink through, colour, spacing."""

    family: str
    style: str
    largest: float
    smallest: float
    colour: tuple[int, int, int]
    spacing: float = 0.0  # letter spacing, pt
    leading: float = 1.2  # line height, as a multiple of the size

    def scaled(self, factor: float) -> TextStyle:
        return self._replace(largest=self.largest * factor, smallest=self.smallest * factor)


class TextBlock(NamedTuple):
    """Text fitted to its box: how tall it is, how to draw it at a given top, its widest line."""

    height: float
    draw: Callable[[float], None]
    width: float = 0.0
    gap: float = 0.0  # wanted after it, for layouts that stack blocks


def text_block(pdf: FPDF, text: str, style: TextStyle, left: float, width: float, max_lines: int = 1, *,
               align: Align = Align.C, breakable: bool = False) -> TextBlock:
    """`text` fitted (`fit_text`) into the box from `left`, `width` wide, in at most `max_lines` lines."""
    fitted = fit_text(pdf, text, style.family, style.style, (style.largest, style.smallest), width,
                      max_lines, style.spacing, breakable)
    line_height = fitted.size * style.leading

    def draw(top: float) -> None:
        pdf.set_char_spacing(style.spacing)
        pdf.set_text_color(*style.colour)
        for number, line in enumerate(fitted.lines):
            select_font(pdf, style.family, style.style, fitted.size)
            pdf.set_xy(left, top + number * line_height)
            pdf.cell(width, line_height, line, align=align)
        pdf.set_char_spacing(0)

    return TextBlock(line_height * len(fitted.lines), draw, fitted.width)


@dataclass(frozen=True)
class FittedText:
    size: float
    lines: list[str]
    width: float  # of the widest line, at `size`


def fit_text(pdf: FPDF, text: str, family: str, style: str, sizes: tuple[float, float], width: float,
             max_lines: int = 1, spacing: float = 0.0, breakable: bool = False) -> FittedText:
    """The largest size from `sizes` (largest, smallest) at which `text` wraps into `max_lines` lines.

    Below the smallest size it keeps shrinking rather than overflow (a record prints the whole name).
    Lines are balanced: the same count at the narrowest width that allows it, so no lone last word.
    `breakable` text (a URL) has no spaces: it breaks after a "/" where it can, else anywhere, and
    keeps its greedy breaks. `spacing` is the letter spacing (`set_char_spacing`) it will print with.
    """
    wrapper = _Wrapper(pdf, text, family, style, spacing, breakable)
    largest, smallest = sizes
    steps = [largest - 0.5 * step for step in range(max(0, int((largest - smallest) / 0.5)) + 1)]
    # Fewer lines at a smaller size, never more: so a binary search finds the largest size that fits.
    fits = bisect.bisect_left(steps, True, key=lambda size: len(wrapper.wrap(size, width)) <= max_lines)
    size = steps[min(fits, len(steps) - 1)]
    lines = wrapper.wrap(size, width)
    while len(lines) > max_lines and size > 3:
        size *= 0.9
        lines = wrapper.wrap(size, width)
    if len(lines) > 1 and not breakable:
        lines = wrapper.balance(size, width, lines)
    return FittedText(size, lines, max(wrapper.width(line, size) for line in lines))


class _Wrapper:
    """Wraps one text at any size from its characters' widths at 1 pt.

    fpdf2 applies no kerning without text shaping, so a line's width is the sum of its characters'
    widths plus the letter spacing: trying thirty sizes costs arithmetic, not thirty measurements.
    """

    def __init__(self, pdf: FPDF, text: str, family: str, style: str, spacing: float, breakable: bool):
        self.widths = _char_widths(pdf, family, style, text + " ")
        self.spacing = spacing
        self.words = [word for word in re.split(r"(?<=/)", text) if word] if breakable else text.split()
        self.joiner = "" if breakable else " "
        self.word_widths = [self.width(word, 1.0, spacing=0.0) for word in self.words]
        self.joiner_width = self.width(self.joiner, 1.0, spacing=0.0)

    def wrap(self, size: float, width: float) -> list[str]:
        lines: list[str] = []
        line_width = 0.0
        for word, word_width in zip(self.words, self.word_widths, strict=True):
            added = (self.joiner_width + word_width) * size + self.spacing * (len(word) + len(self.joiner))
            extended = line_width + added
            if lines and extended <= width:
                lines[-1] = f"{lines[-1]}{self.joiner}{word}"
                line_width = extended
            elif word_width * size + self.spacing * len(word) <= width:
                lines.append(word)
                line_width = word_width * size + self.spacing * len(word)
            else:
                lines.extend(self._break_anywhere(word, size, width))
                line_width = self.width(lines[-1], size)
        return lines or [""]

    def balance(self, size: float, width: float, lines: list[str]) -> list[str]:
        low, high = width / len(lines), width
        for _ in range(10):
            middle = (low + high) / 2
            low, high = (low, middle) if len(self.wrap(size, middle)) <= len(lines) else (middle, high)
        return self.wrap(size, high)

    def width(self, text: str, size: float, spacing: float | None = None) -> float:
        spacing = self.spacing if spacing is None else spacing
        return size * sum(self.widths[char] for char in text) + spacing * len(text)

    def _break_anywhere(self, word: str, size: float, width: float) -> list[str]:
        lines = [""]
        for char in word:
            if lines[-1] and self.width(lines[-1] + char, size) > width:
                lines.append("")
            lines[-1] += char
        return lines


def _char_widths(pdf: FPDF, family: str, style: str, text: str) -> dict[str, float]:
    with_fallback = FALLBACK.lower() in pdf.fonts
    missing = [char for char in set(text) if (family, style, with_fallback, char) not in _widths]
    if missing:
        select_font(pdf, family, style, 1)
        for char in missing:
            _widths[family, style, with_fallback, char] = pdf.get_string_width(char)
    return {char: _widths[family, style, with_fallback, char] for char in set(text)}


def _add(pdf: FPDF, family: str, style: str) -> None:
    fontkey = f"{family.lower()}{style}"
    if fontkey not in pdf.fonts:
        pdf.add_font(family, style, FONT_DIR / FONT_FILES[family, style])
        _keep_glyph_bounds(pdf, fontkey)


def _keep_glyph_bounds(pdf: FPDF, fontkey: str) -> None:
    # fpdf2 subsets each font on output and saves it with fontTools, which by default recomputes
    # every kept glyph's bounding box: that decompiles and recompiles each outline, about 10 ms per
    # font for a certificate in EB Garamond's detailed glyphs. The bounds in our files are right
    # (fontTools wrote them) and subsetting does not change outlines, so they may stay as they are.
    # `recalcBBoxes` is a public attribute of fontTools' TTFont; no fpdf2 code is replaced.
    pdf.fonts[fontkey].ttfont.recalcBBoxes = False
