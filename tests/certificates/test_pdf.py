"""The certificate PDF: what it prints, read back with pypdf as a board's auditor would read it."""

import io
import re
from pathlib import Path

import pytest
import segno
from fpdf import FPDF
from pypdf import PdfReader

from courseware.certificates.fonts import FALLBACK, SANS, SERIF, register_fonts
from courseware.certificates.pdf import long_date, render_certificate_pdf

SIGNATURE = Path(__file__).resolve().parents[2] / "static" / "img" / "signature.png"
STATEMENT = (
    "Jennifer Huff, LLC is an AOTA Approved Provider of professional development. Course approval ID# 0000. "
    "This distance learning-independent course is offered at 0.675 CEUs (6.75 contact hours), Intermediate "
    "level, Occupational Therapy Process. AOTA does not endorse specific course content, products, or "
    "clinical procedures."
)
STATE_NOTICE = (
    "This course is not AOTA-approved. Refer to your state's guidelines to determine whether it is "
    "accepted as continuing education for your licensure."
)


def approved_snapshot() -> dict:
    return {
        "version": 1,
        "public_id": "9f86d081884c7d659a2feaa0c55ad015",
        "serial": "HCE-2026-000042",
        "verify_url": "http://127.0.0.1:5000/verify/9f86d081884c7d659a2feaa0c55ad015",
        "holder": {"legal_name": "Zoë Ñúñez-O'Brien", "credential": "OTR/L",
                   "licence": {"state": "TX", "profession": "OT", "number": "12345"}},
        "course": {"title": "From Isolation to Integration: Effective OT in the Natural School Environment",
                   "slug": "from-isolation-to-integration", "revision": 3,
                   "instructor": "Jennifer Huff, OTR, MOT", "level": "Intermediate",
                   "content_focus": "Occupational Therapy Process",
                   "contact_hours": "6.75", "ceus": "0.675", "pdus": "8.44"},
        "completed_on": "2026-11-23",
        "issued_at": "2026-11-23T19:04:05+00:00",
        "provider": {"name": "Jennifer Huff, LLC", "state_notice": None,
                     "approval": {"body": "AOTA", "number": "0000", "statement": STATEMENT}},
        "signer": {"name": "Jennifer Huff, OTR, MOT", "title": "Instructor and Education Director"},
        "assessment": {"post_test_passed": True, "score_percent": "90"},
    }


def not_approved_snapshot() -> dict:
    snapshot = approved_snapshot()
    snapshot["provider"] = {"name": "Jennifer Huff, LLC", "approval": None, "state_notice": STATE_NOTICE}
    snapshot["course"].update(contact_hours="1", ceus="0.1", pdus="1")
    snapshot["holder"].update(credential=None, licence=None)
    snapshot["assessment"] = None
    return snapshot


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """The page's text with every run of whitespace made one space (lines wrap where they must)."""
    return " ".join(read(pdf).pages[0].extract_text().split())


@pytest.fixture(scope="module")
def approved_pdf() -> bytes:
    return render_certificate_pdf(approved_snapshot(), SIGNATURE)


def test_it_is_one_letter_landscape_page(approved_pdf):
    assert approved_pdf.startswith(b"%PDF-")
    reader = read(approved_pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (792, 612)


def test_it_prints_the_holder_the_course_and_the_credit(approved_pdf):
    text = text_of(approved_pdf)
    for printed in [
        "Zoë Ñúñez-O'Brien",
        "OTR/L · TX OT License No. 12345",
        "has successfully completed",
        "From Isolation to Integration: Effective OT in the Natural School Environment",
        "on November 23, 2026",
        "6.75 contact hours · 0.675 AOTA CEUs",
        "Instructional level: Intermediate",
        "Content focus: Occupational Therapy Process",
        "Instructor: Jennifer Huff, OTR, MOT",
        "Post-test passed (90%)",
        "8.44 NBCOT PDUs",
        "JENNIFER HUFF, LLC · AOTA APPROVED PROVIDER #0000",
        "Instructor and Education Director",
        "Serial HCE-2026-000042",
        "ID 9f86d081884c7d659a2feaa0c55ad015",
    ]:
        assert printed in text


def test_it_prints_the_verification_url_whole(approved_pdf):
    # The URL may wrap after a "/" to fit beside the QR code; it is one URL once the break is removed.
    text = "".join(read(approved_pdf).pages[0].extract_text().split())
    assert "http://127.0.0.1:5000/verify/9f86d081884c7d659a2feaa0c55ad015" in text


def test_an_approved_course_prints_the_full_approval_statement(approved_pdf):
    assert STATEMENT in text_of(approved_pdf)


def test_a_course_that_is_not_approved_prints_the_state_notice_and_claims_no_aota_credit():
    text = text_of(render_certificate_pdf(not_approved_snapshot(), SIGNATURE))
    assert STATE_NOTICE in text
    assert "1 contact hour · 0.1 CEUs" in text
    assert "AOTA Approved Provider" not in text
    assert "AOTA APPROVED PROVIDER" not in text
    assert "AOTA CEU" not in text
    assert "Post-test passed" not in text


def test_the_fonts_are_embedded_subsets_not_standard_fonts(approved_pdf):
    fonts = _fonts(approved_pdf)
    assert fonts, "the page uses no font"
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), font["/BaseFont"]
        assert "/ToUnicode" in font
    names = {str(font["/BaseFont"]) for font in fonts}
    assert any("EBGaramond" in name for name in names)
    # A Latin name does not pull in the large fallback font.
    assert not any("DejaVu" in name for name in names)


def test_a_name_in_another_script_prints_from_the_fallback_font():
    snapshot = approved_snapshot()
    snapshot["holder"]["legal_name"] = "Αλέξανδρος Παπαδόπουλος"
    pdf = render_certificate_pdf(snapshot, SIGNATURE)
    assert "Αλέξανδρος Παπαδόπουλος" in text_of(pdf)
    assert any("DejaVuSans" in str(font["/BaseFont"]) for font in _fonts(pdf))


def test_a_decomposed_accent_prints_as_the_composed_letter():
    snapshot = approved_snapshot()
    snapshot["holder"]["legal_name"] = "Zoe\u0308 Ñu\u0301n\u0303ez-O'Brien"
    assert "Zoë Ñúñez-O'Brien" in text_of(render_certificate_pdf(snapshot, SIGNATURE))


def test_the_metadata_names_the_certificate(approved_pdf):
    metadata = read(approved_pdf).metadata
    assert metadata.title == f"Certificate of Completion: {approved_snapshot()['course']['title']}"
    assert metadata.author == "Jennifer Huff, LLC"
    assert metadata.subject == "Zoë Ñúñez-O'Brien, 6.75 contact hours · 0.675 AOTA CEUs"
    assert "HCE-2026-000042" in metadata["/Keywords"]


def test_the_same_snapshot_gives_the_same_bytes(approved_pdf):
    assert render_certificate_pdf(approved_snapshot(), SIGNATURE) == approved_pdf


def test_a_watermark_is_printed_only_when_asked(approved_pdf):
    assert "REVOKED" not in text_of(approved_pdf)
    assert "REVOKED" in text_of(render_certificate_pdf(approved_snapshot(), SIGNATURE, watermark="REVOKED"))


def test_the_signature_image_is_drawn_when_given(approved_pdf):
    assert len(read(approved_pdf).pages[0].images) == 1
    without = render_certificate_pdf(approved_snapshot(), None)
    assert len(read(without).pages[0].images) == 0
    assert "Jennifer Huff, OTR, MOT" in text_of(without)


def test_the_qr_code_encodes_the_verification_url(approved_pdf):
    drawn = _qr_modules(approved_pdf)
    expected = segno.make(approved_snapshot()["verify_url"], error="m", micro=False).matrix
    assert drawn == [[bool(module) for module in row] for row in expected]


def test_very_long_names_and_titles_stay_on_the_page_and_above_the_signature_row():
    snapshot = approved_snapshot()
    snapshot["holder"]["legal_name"] = "Maximiliana Alexandrina Wilhelmina Ñúñez-O'Brien de la Santísima " * 2
    snapshot["holder"]["credential"] = "MS, OTR/L, BCP, C/NDT, SWC"
    snapshot["course"]["title"] = "Evidence-Based Strategies for Sensory and Motor Supports in Schools " * 4
    snapshot["course"]["instructor"] = "Dr. Alexandra Konstantinopoulou-Smythe, PhD, OTR/L, FAOTA " * 2
    pdf = render_certificate_pdf(snapshot, SIGNATURE)
    assert len(read(pdf).pages) == 1
    text = text_of(pdf)
    assert " ".join(snapshot["holder"]["legal_name"].split()) in text
    assert " ".join(snapshot["course"]["title"].split()) in text
    holder, course = snapshot["holder"], snapshot["course"]
    upper_block = holder["legal_name"] + course["title"] + course["instructor"]
    lines = _lines_with_positions(pdf)
    assert len([line for *_, line in lines if line in upper_block]) >= 4
    for x, top, line in lines:
        assert 36 < x < 756 and 36 < top < 576, line
        if line in upper_block or line.startswith(("Instructional level", "6.75 contact hours")):
            # Baselines: the signature row starts at 414 pt, and descenders need a few points.
            assert top < 408, f"{line!r} runs into the signature row"


def test_register_fonts_offers_the_documented_families_to_other_pdfs():
    pdf = FPDF()
    register_fonts(pdf)
    pdf.add_page()
    for family, style in [(SERIF, ""), (SERIF, "I"), (SANS, ""), (SANS, "B")]:
        pdf.set_font(family, style, 11)
        pdf.cell(text=f"Zoë Ñúñez-O'Brien · 6.75 h · Ω {family} {style}", new_x="LMARGIN", new_y="NEXT")
    document = bytes(pdf.output())
    text = read(document).pages[0].extract_text()
    assert text.count("Zoë Ñúñez-O'Brien · 6.75 h · Ω") == 4
    names = " ".join(str(font["/BaseFont"]) for font in _fonts(document))
    assert all(name in names for name in ("EBGaramond12Regular", "EBGaramond12Italic", "DejaVuSans"))


def test_the_fallback_font_is_registered_only_for_text_that_needs_it():
    latin, greek = FPDF(), FPDF()
    register_fonts(latin, text="Zoë Ñúñez-O'Brien, Nguyễn Thị Ánh, Ștefan Łukasz")
    register_fonts(greek, text="Αλέξανδρος")
    assert FALLBACK.lower() not in latin.fonts
    assert FALLBACK.lower() in greek.fonts


def test_dates_print_in_words():
    assert long_date("2026-11-23") == "November 23, 2026"
    assert long_date("2027-01-05") == "January 5, 2027"


def _fonts(pdf: bytes) -> list:
    resources = read(pdf).pages[0]["/Resources"]["/Font"]
    return [font.get_object() for font in resources.values()]


def _lines_with_positions(pdf: bytes) -> list[tuple[float, float, str]]:
    """(x, distance from the page's top, text) of every text run fpdf2 wrote."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((tm[4], 612 - tm[5], text.strip()))

    read(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def _qr_modules(pdf: bytes) -> list[list[bool]]:
    """The QR code read back from the filled rectangles drawn in its square (bottom right)."""
    content = read(pdf).pages[0].get_contents().get_data().decode("latin-1")
    rects = [tuple(map(float, match)) for match in
             re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (-?[\d.]+) re f", content)]
    in_square = [(x, y, w, h) for x, y, w, h in rects if x > 600 and 100 < y < 200 and abs(h) < 75]
    left = min(x for x, *_ in in_square)
    top = max(y for _, y, *_ in in_square)
    module = min(abs(h) for *_, h in in_square) - 0.05
    size = round((max(x + w for x, _, w, _ in in_square) - left) / module)
    matrix = [[False] * size for _ in range(size)]
    for x, y, w, h in in_square:
        first_row, first_column = round((top - y) / module), round((x - left) / module)
        for row in range(first_row, first_row + round((abs(h) - 0.05) / module)):
            for column in range(first_column, first_column + round(w / module)):
                matrix[row][column] = True
    return matrix
