"""Certificates from elsewhere: the form, PDF uploads, downloads by their owner only, deletion."""

import io
import stat
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from courseware.transcript import uploads
from tests.transcript.conftest import (
    MAX_CONTENT_LENGTH,
    PDF_BYTES,
    UPLOAD_MAX_BYTES,
    today_where_learners_live,
)

TODAY = today_where_learners_live()


def credit_form(**changes) -> dict:
    data = {
        "title": "Sensory Strategies for the Classroom",
        "provider": "Texas OT Association",
        "completed_on": (TODAY - timedelta(days=12)).isoformat(),
        "contact_hours": "3.5",
        "format": "live",
    }
    data.update(changes)
    return data


def pdf_upload(content: bytes = PDF_BYTES, name: str = "my certificate.pdf"):
    return (io.BytesIO(content), name)


def stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOADS_DIR"]) / "transcript"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_recording_a_credit_without_a_file_adds_it_to_the_transcript(client, make, login, credit_rows):
    user = make.user()
    login(user)

    response = client.post("/me/transcript/credits", data=credit_form(title="  Sensory Strategies  "))
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/transcript#activities")
    assert "“Sensory Strategies” is on your transcript." in page
    (row,) = credit_rows()
    assert (row.user_id, row.title, row.provider) == (user.id, "Sensory Strategies", "Texas OT Association")
    assert (row.completed_on, row.contact_hours, row.format) == (
        TODAY - timedelta(days=12),
        Decimal("3.50"),
        "live",
    )
    assert row.file_name is None and row.original_filename is None


def test_an_uploaded_pdf_is_stored_under_a_random_name_and_only_its_owner_downloads_it(
    app, client, make, login, credit_rows
):
    owner = make.user()
    login(owner)

    client.post(
        "/me/transcript/credits",
        data=credit_form(certificate=pdf_upload(name="/home/zoe/Zoë cert (final).pdf")),
        content_type="multipart/form-data",
    )

    (row,) = credit_rows()
    (path,) = stored_files(app)
    assert path.name == row.file_name
    assert len(row.file_name) == len("0123456789abcdef0123456789abcdef.pdf")
    assert "Zo" not in row.file_name
    assert row.original_filename == "Zoë cert (final).pdf"
    assert path.read_bytes() == PDF_BYTES
    assert stat.S_IMODE(path.stat().st_mode) & 0o111 == 0  # never executable

    with client.get(f"/me/transcript/credits/{row.id}/certificate.pdf") as download:
        assert download.status_code == 200
        assert download.data == PDF_BYTES
        assert download.mimetype == "application/pdf"
        assert download.headers["Content-Disposition"] == "attachment; filename=Zoe_cert_final.pdf"
        assert download.headers["Cache-Control"] == "private, no-store"
        assert download.headers["X-Content-Type-Options"] == "nosniff"

    login(make.user())
    assert client.get(f"/me/transcript/credits/{row.id}/certificate.pdf").status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_field(app, client, make, login, credit_rows):
    login(make.user())

    response = client.post(
        "/me/transcript/credits",
        data=credit_form(
            certificate=pdf_upload(b"<html><script>alert(1)</script></html>", "certificate.pdf")
        ),
        content_type="multipart/form-data",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="certificate-error">This file is not a PDF. Upload the certificate as a PDF file.</p>' in page
    assert 'value="Sensory Strategies for the Classroom"' in page  # what was typed comes back
    assert credit_rows() == [] and stored_files(app) == []


def test_a_file_over_the_upload_limit_is_refused_beside_the_field(app, client, make, login, credit_rows):
    login(make.user())

    response = client.post(
        "/me/transcript/credits",
        data=credit_form(certificate=pdf_upload(PDF_BYTES + b"0" * UPLOAD_MAX_BYTES)),
        content_type="multipart/form-data",
    )

    assert "The file is larger than 4 KB. Upload a smaller PDF." in response.get_data(as_text=True)
    assert credit_rows() == [] and stored_files(app) == []


def test_a_request_over_the_size_limit_gets_a_413_page(app, client, make, login, credit_rows):
    login(make.user())

    response = client.post(
        "/me/transcript/credits",
        data=credit_form(certificate=pdf_upload(PDF_BYTES + b"0" * MAX_CONTENT_LENGTH)),
        content_type="multipart/form-data",
    )

    assert response.status_code == 413
    assert "The file is too large: certificates can be PDFs of up to 4 KB." in response.get_data(as_text=True)
    assert credit_rows() == [] and stored_files(app) == []


def test_an_empty_file_is_refused(client, make, login, credit_rows):
    login(make.user())

    response = client.post(
        "/me/transcript/credits",
        data=credit_form(certificate=pdf_upload(b"")),
        content_type="multipart/form-data",
    )

    assert "The file is empty." in response.get_data(as_text=True)
    assert credit_rows() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter the title printed on the certificate."),
        ({"provider": ""}, "provider", "Enter who gave the course"),
        ({"completed_on": ""}, "completed_on", "Enter the date you completed it."),
        ({"completed_on": "2026-02-30"}, "completed_on", "Not a valid date value."),
        (
            {"completed_on": (TODAY + timedelta(days=5)).isoformat()},
            "completed_on",
            "cannot be in the future",
        ),
        ({"completed_on": "0001-01-01"}, "completed_on", "Check the year"),
        ({"contact_hours": "abc"}, "contact_hours", "Enter the hours as a number"),
        ({"contact_hours": "NaN"}, "contact_hours", "Enter the hours as a number"),
        ({"contact_hours": "Infinity"}, "contact_hours", "Enter the hours as a number"),
        ({"contact_hours": "-1"}, "contact_hours", "Enter between 0.01 and 500 hours."),
        ({"contact_hours": "0.001"}, "contact_hours", "Enter between 0.01 and 500 hours."),
        ({"contact_hours": "1e999999"}, "contact_hours", "Enter between 0.01 and 500 hours."),
        ({"format": "webinar"}, "format", "Not a valid choice"),
        ({"title": "x" * 201}, "title", "Field cannot be longer than 200 characters."),
    ],
)
def test_each_bad_field_gets_an_answer_beside_it(client, make, login, credit_rows, changes, field, message):
    login(make.user())

    response = client.post("/me/transcript/credits", data=credit_form(**changes))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error">' in page
    assert message in page.split(f'id="{field}-error">')[1].split("</p>")[0]
    assert credit_rows() == []


def test_hours_are_kept_to_the_hundredth(client, make, login, credit_rows):
    login(make.user())

    client.post("/me/transcript/credits", data=credit_form(contact_hours="1.255"))

    assert credit_rows()[0].contact_hours == Decimal("1.26")


def test_the_form_needs_its_csrf_token(client, make, login, credit_rows):
    login(make.user())

    response = client.post("/me/transcript/credits", data=credit_form(), csrf=False)

    assert response.status_code == 400
    assert credit_rows() == []


def test_deleting_asks_first_then_removes_the_row_and_its_file(app, client, make, login, credit_rows):
    login(make.user())
    client.post(
        "/me/transcript/credits",
        data=credit_form(certificate=pdf_upload()),
        content_type="multipart/form-data",
    )
    (row,) = credit_rows()

    confirm = client.get(f"/me/transcript/credits/{row.id}/delete")

    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Delete “Sensory Strategies for the Classroom”?" in page
    assert f'action="/me/transcript/credits/{row.id}/delete"' in page
    assert "The PDF you uploaded is deleted too" in page
    assert len(credit_rows()) == 1

    response = client.post(f"/me/transcript/credits/{row.id}/delete")

    assert response.status_code == 302
    assert credit_rows() == [] and stored_files(app) == []
    assert "is removed from your transcript" in client.get("/me/transcript").get_data(as_text=True)
    assert client.get(f"/me/transcript/credits/{row.id}/certificate.pdf").status_code == 404


def test_another_learners_credit_cannot_be_seen_deleted_or_downloaded(
    app, client, make, login, external_credit, credit_rows
):
    owner = make.user()
    credit = external_credit(owner, "Owner's workshop", TODAY, file_name="0" * 32 + ".pdf")
    login(make.user())

    assert client.get(f"/me/transcript/credits/{credit.id}/delete").status_code == 404
    assert client.post(f"/me/transcript/credits/{credit.id}/delete").status_code == 404
    assert client.get(f"/me/transcript/credits/{credit.id}/certificate.pdf").status_code == 404
    assert client.get("/me/transcript/credits/2147483648/delete").status_code == 404
    assert [row.title for row in credit_rows()] == ["Owner's workshop"]


def test_a_credit_whose_file_is_gone_answers_404_with_a_message(client, make, login, external_credit):
    user = make.user()
    credit = external_credit(user, "Workshop", TODAY, file_name="f" * 32 + ".pdf")
    login(user)

    response = client.get(f"/me/transcript/credits/{credit.id}/certificate.pdf")

    assert response.status_code == 404
    assert "No PDF is stored for this certificate." in response.get_data(as_text=True)


def test_the_recorded_hours_count_toward_the_licence_cycle(client, make, login, licence):
    user = make.user()
    licence(user, "NY", TODAY + timedelta(days=100))
    login(user)

    client.post("/me/transcript/credits", data=credit_form(contact_hours="30", format="self_study"))
    client.post(
        "/me/transcript/credits", data=credit_form(title="Live course", contact_hours="4", format="live")
    )
    page = client.get("/me/transcript").get_data(as_text=True)

    assert "8 hours still needed" in page  # 36 - (24 self-study cap + 4 live)
    assert "6 hours of self-study over the limit do not count" in page


@pytest.mark.parametrize(
    ("original", "download"),
    [
        ("Zoë cert (final).pdf", "Zoe_cert_final.pdf"),
        ("../../etc/passwd", "etc_passwd.pdf"),
        ("certificate", "certificate.pdf"),
        ("ÄÖÜ.PDF", "AOU.pdf"),
        ("中文.pdf", "certificate.pdf"),
        (None, "certificate.pdf"),
        ("", "certificate.pdf"),
    ],
)
def test_the_download_name_is_the_original_name_made_safe(original, download):
    assert uploads.download_name(original) == download
