"""The certificate PDF (DESIGN §5), drawn from a certificate's frozen snapshot and nothing else.

`render_certificate_pdf(snapshot, signature_image, watermark=None)` gives the bytes of one letter
landscape page: the provider (and its approval number), the learner's legal name, credential and
licence, the course, the completion date, contact hours and CEUs, level, content focus, instructor,
the post-test, the signer with the signature, the serial number, the certificate id, the verification
URL with its QR code, and the approval statement or, for a course that is not approved, the state notice.

The layout is fixed and centred. The upper block (heading to details) shares its spare height
between its gaps, and shrinks as a whole if long texts make it too tall; every text that can be long
shrinks and wraps inside its own box. So nothing runs into the signature row or past the border,
whatever the snapshot holds. Output is deterministic: the creation date is the certificate's issue time.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align
from PIL import Image

from courseware.certificates.fonts import (
    SERIF,
    TextBlock,
    TextStyle,
    printable,
    register_fallback,
    text_block,
)

PAGE_W, PAGE_H = 792.0, 612.0  # US letter, landscape, in points
MARGIN = 72.0
CONTENT_W = PAGE_W - 2 * MARGIN
CENTRE = PAGE_W / 2
UPPER_TOP, UPPER_BOTTOM = 50.0, 404.0  # heading to details
ROW_TOP = 414.0  # signature, seal and verification
FOOTER_TOP, FOOTER_BOTTOM = 522.0, 568.0  # approval statement or state notice

TEAL, GOLD, INK, MUTED, RED = (31, 78, 95), (176, 138, 62), (27, 36, 40), (74, 90, 97), (164, 22, 26)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


HEADING = TextStyle(SERIF, "", 10, 8, TEAL, spacing=2.2)
DISPLAY = TextStyle(SERIF, "", 40, 30, TEAL)
LEAD_IN = TextStyle(SERIF, "I", 14, 12, MUTED)
NAME = TextStyle(SERIF, "", 38, 15, INK)
CREDENTIALS = TextStyle(SERIF, "", 12, 8, MUTED, spacing=0.6)
TITLE = TextStyle(SERIF, "", 24, 13, INK)
CREDIT = TextStyle(SERIF, "", 18, 13, TEAL)
DETAIL = TextStyle(SERIF, "", 12, 9, INK)
SIGNER = TextStyle(SERIF, "", 12.5, 8, INK)
SIGNER_TITLE = TextStyle(SERIF, "I", 10.5, 7, MUTED)
VERIFY_LABEL = TextStyle(SERIF, "I", 9, 7, INK)
VERIFY_URL = TextStyle(SERIF, "", 8.5, 5, TEAL)
SMALL_PRINT = TextStyle(SERIF, "", 8.5, 5, MUTED)
STATEMENT = TextStyle(SERIF, "I", 9.5, 5, MUTED, leading=1.15)


def render_certificate_pdf(
    snapshot: dict, signature_image: Path | None, watermark: str | None = None
) -> bytes:
    snapshot = printable(snapshot)
    pdf = _new_document(snapshot, watermark)
    _draw_border(pdf)
    _draw_upper(pdf, snapshot)
    _draw_signer(pdf, snapshot["signer"], signature_image)
    _draw_seal(pdf, snapshot["completed_on"][:4])
    _draw_verification(pdf, snapshot)
    _draw_footer(pdf, snapshot["provider"])
    if watermark:
        _draw_watermark(pdf, printable(watermark))
    return bytes(pdf.output())


def long_date(iso_date: str) -> str:
    """'2026-11-23' -> 'November 23, 2026' (no locale: the certificate is in US English)."""
    day = date.fromisoformat(iso_date)
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def hours_line(course: dict, approval: dict | None) -> str:
    """'6.75 contact hours · 0.675 AOTA CEUs'; CEUs carry the approving body's name only when approved."""
    hours, ceus = course["contact_hours"], course["ceus"]
    body = f"{approval['body']} " if approval else ""
    return f"{hours} contact hour{'' if hours == '1' else 's'} · {ceus} {body}CEU{'' if ceus == '1' else 's'}"


def _new_document(snapshot: dict, watermark: str | None) -> FPDF:
    pdf = FPDF(orientation="L", unit="pt", format="letter")
    # The families load as they are first selected; the large fallback only if a name needs it.
    register_fallback(pdf, text="\n".join(_strings(snapshot, watermark)))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    course, provider = snapshot["course"], snapshot["provider"]
    pdf.set_title(f"Certificate of Completion: {course['title']}")
    pdf.set_subject(f"{snapshot['holder']['legal_name']}, {hours_line(course, provider['approval'])}")
    pdf.set_author(provider["name"])
    pdf.set_creator(provider["name"])
    pdf.set_keywords(f"certificate {snapshot['serial']} {snapshot['public_id']}")
    pdf.set_lang("en-US")
    pdf.set_creation_date(datetime.fromisoformat(snapshot["issued_at"]))
    pdf.add_page()
    return pdf


# -- the upper block: heading, name, course, credit -------------------------------------------------


def _draw_upper(pdf: FPDF, snapshot: dict) -> None:
    """Top to bottom, the spare height shared between the gaps; smaller type if it does not fit."""
    available = UPPER_BOTTOM - UPPER_TOP
    for scale in (1.0, 0.92, 0.84, 0.76, 0.68, 0.6):
        blocks = list(_upper_blocks(pdf, snapshot, scale))
        gaps, heights = sum(block.gap for block in blocks), sum(block.height for block in blocks)
        if heights + 0.5 * gaps <= available:
            break
    stretch = min(1.8, (available - heights) / gaps)
    top = UPPER_TOP
    for block in blocks:
        block.draw(top)
        top += block.height + block.gap * stretch


def _upper_blocks(pdf: FPDF, snapshot: dict, scale: float) -> Iterator[TextBlock]:
    provider, course, holder = snapshot["provider"], snapshot["course"], snapshot["holder"]
    approval = provider["approval"]
    heading = provider["name"]
    if approval:
        heading += f"  ·  {approval['body']} Approved Provider #{approval['number']}"
    yield _text(pdf, heading.upper(), HEADING, CONTENT_W)._replace(gap=8)
    yield _text(pdf, "Certificate of Completion", DISPLAY.scaled(scale), CONTENT_W)._replace(gap=6)
    yield TextBlock(8.0, lambda top: _draw_ornament(pdf, top + 4), gap=14)
    yield _text(pdf, "This certifies that", LEAD_IN.scaled(scale), CONTENT_W)._replace(gap=4)
    yield _name_block(pdf, holder["legal_name"], scale)
    credentials = _credentials_line(holder)
    if credentials:
        yield _text(pdf, credentials, CREDENTIALS, CONTENT_W)._replace(gap=10)
    yield _text(pdf, "has successfully completed", LEAD_IN.scaled(scale), CONTENT_W)._replace(gap=4)
    yield _text(pdf, course["title"], TITLE.scaled(scale), CONTENT_W - 40, 3)._replace(gap=4)
    completed = f"on {long_date(snapshot['completed_on'])}"
    yield _text(pdf, completed, LEAD_IN.scaled(scale), CONTENT_W)._replace(gap=10)
    yield _text(pdf, hours_line(course, approval), CREDIT.scaled(scale), CONTENT_W)._replace(gap=8)
    for line in _detail_lines(snapshot):
        yield _text(pdf, line, DETAIL.scaled(scale), CONTENT_W, 2)._replace(gap=2)


def _name_block(pdf: FPDF, name: str, scale: float) -> TextBlock:
    """The legal name, large, over a gold rule: on one line if it can be, else two, smaller."""
    name_block = _text(pdf, name, NAME.scaled(scale), CONTENT_W - 60, 2)
    half_rule = min(CONTENT_W / 2 - 30, max(170.0, name_block.width / 2 + 20))

    def draw(top: float) -> None:
        name_block.draw(top)
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(0.6)
        rule_y = top + name_block.height + 1
        pdf.line(CENTRE - half_rule, rule_y, CENTRE + half_rule, rule_y)

    return TextBlock(name_block.height + 2, draw, name_block.width, gap=6)


def _credentials_line(holder: dict) -> str:
    parts = [holder["credential"]] if holder.get("credential") else []
    licence = holder.get("licence")
    if licence:
        parts.append(f"{licence['state']} {licence['profession']} License No. {licence['number']}")
    return "  ·  ".join(parts)


def _detail_lines(snapshot: dict) -> list[str]:
    course, assessment = snapshot["course"], snapshot.get("assessment")
    first = [f"Instructional level: {course['level']}" if course.get("level") else "",
             f"Content focus: {course['content_focus']}" if course.get("content_focus") else ""]
    second = [f"Instructor: {course['instructor']}" if course.get("instructor") else ""]
    if assessment and assessment.get("post_test_passed"):
        score = assessment.get("score_percent")
        second.append(f"Post-test passed ({score}%)" if score else "Post-test passed")
        if course.get("pdus"):
            second.append(f"{course['pdus']} NBCOT PDUs")
    lines = ("  ·  ".join(part for part in parts if part) for parts in (first, second))
    return [line for line in lines if line]


# -- the signature row, the footer, the watermark --------------------------------------------------


def _draw_signer(pdf: FPDF, signer: dict, signature_image: Path | None) -> None:
    left, width, rule_y = MARGIN + 8, 210.0, ROW_TOP + 62
    if signature_image is not None:
        image = io.BytesIO(_signature_jpeg(str(signature_image), *_file_version(signature_image)))
        pdf.image(image, x=left + 15, y=rule_y - 52, w=width - 30, h=50, keep_aspect_ratio=True)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.6)
    pdf.line(left, rule_y, left + width, rule_y)
    _text(pdf, signer["name"], SIGNER, width, left=left).draw(rule_y + 4)
    _text(pdf, signer.get("title") or "", SIGNER_TITLE, width, 2, left=left).draw(rule_y + 19)


def _draw_seal(pdf: FPDF, year: str) -> None:
    """A plain gold rosette between signature and QR code: ornament, it claims nothing."""
    cx, cy, radius = CENTRE, ROW_TOP + 46, 38.0
    teeth = [_polar(cx, cy, radius - 3.2 * (i % 2), i * 360 / 96) for i in range(96)]
    pdf.set_fill_color(*GOLD)
    pdf.polygon(teeth, style="F")
    pdf.set_fill_color(255, 255, 255)
    pdf.circle(x=cx, y=cy, radius=radius - 6, style="F")
    pdf.set_draw_color(*GOLD)
    for inset, line_width in ((9, 0.8), (11, 0.4)):
        pdf.set_line_width(line_width)
        pdf.circle(x=cx, y=cy, radius=radius - inset, style="D")
    _text(pdf, "CE", TextStyle(SERIF, "", 22, 22, TEAL), 60, left=cx - 30).draw(cy - 17)
    _text(pdf, year, TextStyle(SERIF, "", 8.5, 8.5, GOLD, spacing=2), 60, left=cx - 30).draw(cy + 6)


def _draw_verification(pdf: FPDF, snapshot: dict) -> None:
    """The QR code at the right, and beside it what a person types instead of scanning."""
    size, right, top = 70.0, PAGE_W - MARGIN - 8, ROW_TOP + 6
    _draw_qr(pdf, snapshot["verify_url"], right - size, top, size)
    width = 168.0
    left = right - size - 12 - width  # 12 pt: the QR code's quiet zone stays clear
    lines = [("Verify this certificate at", VERIFY_LABEL, False),
             (snapshot["verify_url"], VERIFY_URL, True),
             (f"Serial {snapshot['serial']}", SMALL_PRINT, False),
             (f"ID {snapshot['public_id']}", SMALL_PRINT, False)]
    y = top + 8
    for text, style, url in lines:
        block = _text(pdf, text, style, width, 2 if url else 1, left=left, align=Align.R, breakable=url)
        block.draw(y)
        y += block.height + 3


def _draw_footer(pdf: FPDF, provider: dict) -> None:
    statement = (provider.get("approval") or {}).get("statement") or provider.get("state_notice")
    if statement:
        block = _text(pdf, statement, STATEMENT, CONTENT_W - 20, 4)
        block.draw(FOOTER_TOP + max(0.0, (FOOTER_BOTTOM - FOOTER_TOP - block.height) / 2))


def _draw_watermark(pdf: FPDF, watermark: str) -> None:
    """Across the page at an angle, translucent, so the certificate beneath stays legible."""
    block = _text(pdf, watermark, TextStyle(SERIF, "", 120, 40, RED, spacing=10), 640)
    with pdf.rotation(angle=28, x=CENTRE, y=PAGE_H / 2), pdf.local_context(fill_opacity=0.28):
        block.draw(PAGE_H / 2 - block.height / 2)


# -- drawing helpers -------------------------------------------------------------------------------


def _draw_border(pdf: FPDF) -> None:
    """A heavy teal rule, a fine one inside it, a gold rule inside that, gold lozenges at its corners."""
    pdf.set_draw_color(*TEAL)
    for inset, line_width in ((20, 3.0), (26, 0.6)):
        pdf.set_line_width(line_width)
        pdf.rect(inset, inset, PAGE_W - 2 * inset, PAGE_H - 2 * inset)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(1.2)
    pdf.rect(32, 32, PAGE_W - 64, PAGE_H - 64)
    pdf.set_fill_color(*GOLD)
    for x, y in ((32, 32), (PAGE_W - 32, 32), (32, PAGE_H - 32), (PAGE_W - 32, PAGE_H - 32)):
        pdf.polygon([(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)], style="F")


def _draw_ornament(pdf: FPDF, y: float) -> None:
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.8)
    pdf.line(CENTRE - 110, y, CENTRE - 10, y)
    pdf.line(CENTRE + 10, y, CENTRE + 110, y)
    pdf.set_fill_color(*GOLD)
    pdf.polygon([(CENTRE, y - 4), (CENTRE + 5, y), (CENTRE, y + 4), (CENTRE - 5, y)], style="F")


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles: crisp at any zoom, no image to decode or compress."""
    matrix = segno.make(url, error="m", micro=False).matrix
    module = size / len(matrix)
    pdf.set_fill_color(*INK)
    for column, row, width, height in _dark_rectangles(matrix):
        # A hair taller than the modules, so that rows meet without a seam in anti-aliased viewers.
        pdf.rect(x + column * module, y + row * module, width * module, height * module + 0.05, style="F")


def _dark_rectangles(matrix) -> list[tuple[int, int, int, int]]:
    """(column, row, width, height) in modules: each row's dark runs, merged down while they repeat."""
    rectangles, open_runs = [], {}  # (start, end) -> [first row, rows]
    for row, modules in enumerate(matrix):
        runs = _dark_runs(modules)
        for run in [run for run in open_runs if run not in runs]:
            first, rows = open_runs.pop(run)
            rectangles.append((run[0], first, run[1] - run[0], rows))
        for run in runs:
            open_runs.setdefault(run, [row, 0])[1] += 1
    rectangles += [(run[0], first, run[1] - run[0], rows) for run, (first, rows) in open_runs.items()]
    return rectangles


def _dark_runs(modules) -> list[tuple[int, int]]:
    runs, start = [], None
    for column, dark in enumerate([*modules, 0]):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            runs.append((start, column))
            start = None
    return runs


def _text(pdf: FPDF, text: str, style: TextStyle, width: float, max_lines: int = 1, *,
          left: float | None = None, align: Align = Align.C, breakable: bool = False) -> TextBlock:
    """`text` fitted into `width`, centred on the page unless `left` is given."""
    left = CENTRE - width / 2 if left is None else left
    return text_block(pdf, text, style, left, width, max_lines, align=align, breakable=breakable)


@lru_cache(maxsize=8)
def _signature_jpeg(path: str, modified_ns: int, size: int) -> bytes:
    """The signature flattened onto white paper as a JPEG, made once per file version.

    fpdf2 decodes a PNG and compresses it again (with its alpha channel) for every document, about
    10 ms for a signature; a JPEG it copies into the PDF as it is. The certificate's paper is white,
    so the flattened image prints the same. Keyed by the file's modification time and size, so a
    replaced signature file is read again.
    """
    with Image.open(path) as original:
        rgba = original.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    paper.alpha_composite(rgba)
    jpeg = io.BytesIO()
    paper.convert("RGB").save(jpeg, format="JPEG", quality=92, subsampling=0)  # 4:4:4 keeps ink edges crisp
    return jpeg.getvalue()


def _file_version(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def _polar(cx: float, cy: float, radius: float, degrees: float) -> tuple[float, float]:
    return cx + radius * math.cos(math.radians(degrees)), cy + radius * math.sin(math.radians(degrees))


def _strings(value, *extra: str | None) -> Iterator[str]:
    """Every string in the snapshot (and `extra`): what decides whether the fallback font loads."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)
    yield from (text for text in extra if text)
