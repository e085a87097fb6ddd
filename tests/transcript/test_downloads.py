"""/me/transcript.csv and /me/transcript.pdf: the learner's own rows, safe cells, a PDF with their name."""

import csv
import io
from datetime import date, timedelta

import pypdf
import pytest

from tests.transcript.conftest import Earned, today_where_learners_live

TODAY = today_where_learners_live()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def pdf_text(response) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("path", ["/me/transcript.csv", "/me/transcript.pdf"])
def test_downloads_need_a_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_csv_has_one_row_per_certificate_and_credit(client, make, login, certificates, external_credit):
    user = make.user()
    (public_id,) = certificates(
        user, Earned("From Isolation to Integration", days_ago(2), "6.75", pdus="8.44")
    )
    credit = external_credit(
        user, "Sensory Strategies", days_ago(9), "3.50", provider="State OTA", format="live"
    )
    other = make.user()
    certificates(other, Earned("Not mine", days_ago(1)))
    external_credit(other, "Not mine either", days_ago(1))
    login(user)

    response = client.get("/me/transcript.csv")

    rows = csv_rows(response)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="transcript-{TODAY.isoformat()}.csv"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert rows[0] == [
        "Date",
        "Title",
        "Provider",
        "Contact hours",
        "CEUs",
        "PDUs",
        "Format",
        "Serial / id",
        "Verify URL",
    ]
    certificate_row, credit_row = rows[1:]
    assert certificate_row[:8] == [
        days_ago(2).isoformat(),
        "From Isolation to Integration",
        "Jennifer Huff, LLC",
        "6.75",
        "0.675",
        "8.44",
        "Self-study",
        certificate_row[7],
    ]
    assert certificate_row[7].startswith("HCE-")
    assert certificate_row[8] == f"http://localhost/verify/{public_id}"
    assert credit_row == [
        days_ago(9).isoformat(),
        "Sensory Strategies",
        "State OTA",
        "3.5",
        "",
        "3.5",
        "Live",
        f"EXT-{credit.id}",
        "",
    ]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(
    client, make, login, certificates, external_credit
):
    user = make.user()
    certificates(user, Earned('=HYPERLINK("http://evil.example","Click")', days_ago(1)))
    external_credit(user, "+1+cmd|' /C calc'!A0", days_ago(2), provider="-2+3")
    external_credit(user, "@SUM(A1:A9)", days_ago(3), provider="\tTabbed")
    external_credit(user, "Plain - with a dash", days_ago(4), provider="Provider = fine")
    login(user)

    rows = csv_rows(client.get("/me/transcript.csv"))[1:]

    assert [(row[1], row[2]) for row in rows] == [
        ('\'=HYPERLINK("http://evil.example","Click")', "Jennifer Huff, LLC"),
        ("'+1+cmd|' /C calc'!A0", "'-2+3"),
        ("'@SUM(A1:A9)", "'\tTabbed"),
        ("Plain - with a dash", "Provider = fine"),
    ]


def test_the_pdf_is_a_letter_portrait_document_with_the_learners_name_and_activities(
    client, make, login, licence, certificates, external_credit
):
    user = make.user(legal_name="Zoë Ñúñez-O'Brien", credential="OTR/L")
    licence(user, "FL", TODAY + timedelta(days=60))
    certificates(user, Earned("From Isolation to Integration", days_ago(2), "6.75", pdus="8.44"))
    external_credit(user, "Sensory Strategies", days_ago(9), "3.50", provider="State OTA", format="live")
    login(user)

    response = client.get("/me/transcript.pdf")

    pages, text = pdf_text(response)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="transcript-{TODAY.isoformat()}.pdf"'
    )
    assert pages == 1
    page = pypdf.PdfReader(io.BytesIO(response.data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert "Zoë Ñúñez-O'Brien, OTR/L" in text
    assert "From Isolation to Integration" in text and "Sensory Strategies" in text
    assert "Florida · OT · license 12345" in text
    assert "10.25 of 26 hours counted: 15.75 still needed" in text
    assert "Total: 2 activities · 10.25 contact hours · 11.94 NBCOT PDUs" in text
    assert f"generated {TODAY.strftime('%B')} {TODAY.day}, {TODAY.year}" in text


def test_the_pdf_embeds_unicode_fonts_for_names_beyond_latin_1(client, make, login):
    user = make.user(legal_name="Łukasz Żółć-Σωκράτης")
    login(user)

    response = client.get("/me/transcript.pdf")

    _pages, text = pdf_text(response)
    assert "Łukasz Żółć-Σωκράτης" in text
    fonts = {
        str(font["/BaseFont"])
        for page in pypdf.PdfReader(io.BytesIO(response.data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts)
    assert not any(name.endswith("Helvetica") for name in fonts)


def test_a_long_transcript_runs_onto_more_pages(client, make, login, certificates):
    user = make.user(legal_name="Jordan Lee")
    certificates(user, *(Earned(f"Course number {n}", days_ago(n + 1)) for n in range(60)))
    login(user)

    pages, text = pdf_text(client.get("/me/transcript.pdf"))

    assert pages >= 2
    assert f"Page 1 of {pages}" in text
    assert "Course number 59" in text
    assert "Total: 60 activities · 60 contact hours · 75 NBCOT PDUs" in text


def test_an_empty_transcript_still_downloads(client, make, login):
    login(make.user(display_name="New Learner"))

    csv_response = client.get("/me/transcript.csv")
    pdf_response = client.get("/me/transcript.pdf")

    assert len(csv_rows(csv_response)) == 1
    _pages, text = pdf_text(pdf_response)
    assert "New Learner" in text
    assert "No certificates yet." in text
    assert "No licenses recorded." in text
