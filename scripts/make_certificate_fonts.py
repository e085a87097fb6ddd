#!/usr/bin/env python3
"""Make the TTF files under static/fonts/ that the certificate and transcript PDFs embed.

    EBGaramond-Regular.ttf, -Italic.ttf             display serif, Latin subset (no bold: EB Garamond
                                                    0.016's bold has ASCII only)
    DejaVuSansCondensed.ttf, -Bold.ttf              small print, Latin subset
    DejaVuSans-Fallback.ttf                         every glyph DejaVu Sans has, for names in other scripts

fpdf2 parses each font file for every document it builds and subsets it again on output, so the
files are kept small: the Latin fonts hold only the letters that names use and common punctuation
(LATIN, below; anything else prints from the fallback, loaded only when needed), and every font
loses its hinting and OpenType layout tables (fpdf2 drops GSUB/GPOS on output anyway without text
shaping; hinting does nothing for a PDF viewer's rasteriser).

EB Garamond's default digits are old-style figures, whose 0 reads as an "o" in "0.675 CEUs"; its
lining figures are only reachable through the `lnum` feature, which fpdf2 does not apply. So the
digits' cmap entries are pointed at the `lnum` glyphs before subsetting: a certificate's hours,
dates and numbers print in lining figures.

Needs Debian's fonts (apt-get install -y $PACKAGES, below) and fontTools, which fpdf2 already
depends on. The app never reads system fonts; it reads the committed output:

    .venv/bin/python scripts/make_certificate_fonts.py

The output is deterministic: re-running with the same inputs gives identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts"
GARAMOND = Path("/usr/share/fonts/truetype/ebgaramond")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
PACKAGES = "fonts-ebgaramond-extra fonts-dejavu-core fonts-dejavu-extra"

LATIN = [
    # What legal names and course titles in US continuing education use, kept small on purpose (each
    # glyph costs parsing time in every document); anything else prints from the fallback font.
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A
    (0x018F, 0x018F),  # Ə (Azerbaijani)
    (0x01A0, 0x01A1),  # Ơ ơ (Vietnamese)
    (0x01AF, 0x01B0),  # Ư ư (Vietnamese)
    (0x0218, 0x021B),  # Ș ș Ț ț (Romanian)
    (0x0259, 0x0259),  # ə
    (0x02BB, 0x02BC),  # ʻokina (Hawaiian names), modifier apostrophe
    (0x02C6, 0x02C7),  # standalone circumflex and caron
    (0x1E9E, 0x1E9E),  # capital sharp s
    (0x1EA0, 0x1EF9),  # Vietnamese
    (0x2010, 0x2027),  # dashes, curly quotes, daggers, bullet, ellipsis
    (0x2030, 0x203A),  # per mille, primes, single guillemets
    (0x2044, 0x2044),  # fraction slash
    (0x20AC, 0x20AC),  # euro sign
    (0x2116, 0x2116),  # numero sign
    (0x2122, 0x2122),  # trade mark sign
    (0x2212, 0x2212),  # minus sign
]

FONTS = [
    # (source, output, unicode ranges or None for every glyph)
    (GARAMOND / "EBGaramond12-Regular.ttf", "EBGaramond-Regular.ttf", LATIN),
    (GARAMOND / "EBGaramond12-Italic.ttf", "EBGaramond-Italic.ttf", LATIN),
    (DEJAVU / "DejaVuSansCondensed.ttf", "DejaVuSansCondensed.ttf", LATIN),
    (DEJAVU / "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", LATIN),
    (DEJAVU / "DejaVuSans.ttf", "DejaVuSans-Fallback.ttf", None),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for source, name, ranges in FONTS:
        if not source.exists():
            print(f"missing {source}: apt-get install -y {PACKAGES}", file=sys.stderr)
            return 1
        font = TTFont(source, recalcTimestamp=False)
        _use_lining_figures(font)
        subsetter = subset.Subsetter(_options())
        subsetter.populate(unicodes=_unicodes(font, ranges))
        subsetter.subset(font)
        target = OUT / name
        font.save(target)
        print(f"wrote static/fonts/{name}: {target.stat().st_size // 1024} KB (from {source.name})")
    return 0


def _options() -> subset.Options:
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "hdmx", "gasp", "DSIG", "MATH"]
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.name_IDs = ["*"]  # keep the copyright and licence records (OFL, Bitstream Vera)
    options.name_languages = ["*"]
    options.glyph_names = True
    return options


def _use_lining_figures(font: TTFont) -> None:
    """Map each character that the `lnum` feature substitutes straight to its lining glyph."""
    if "GSUB" not in font:
        return
    gsub = font["GSUB"].table
    lining: dict[str, str] = {}
    for record in gsub.FeatureList.FeatureRecord if gsub.FeatureList else ():
        if record.FeatureTag == "lnum":
            for index in record.Feature.LookupListIndex:
                for table in gsub.LookupList.Lookup[index].SubTable:
                    lining.update(getattr(table, "mapping", None) or {})
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap = {code: lining.get(glyph, glyph) for code, glyph in table.cmap.items()}


def _unicodes(font: TTFont, ranges: list[tuple[int, int]] | None) -> list[int]:
    available = font.getBestCmap().keys()
    if ranges is None:
        return sorted(available)
    return sorted(code for code in available if any(low <= code <= high for low, high in ranges))


if __name__ == "__main__":
    sys.exit(main())
