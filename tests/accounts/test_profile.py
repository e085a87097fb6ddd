from datetime import date

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Licence
from courseware.extensions import db


@pytest.fixture
def licences(app):
    """licences(user) -> (state, profession, number, renewal_date) of each stored licence."""

    def _rows(user):
        with app.app_context():
            rows = db.session.execute(
                sa.select(Licence.state, Licence.profession, Licence.number, Licence.renewal_date)
                .where(Licence.user_id == user.id)
                .order_by(Licence.id)
            )
            return [tuple(row) for row in rows]

    return _rows


def _add_licence(client, **fields):
    data = {"state": "TX", "profession": "OT", "number": "112233", "renewal_date": "2027-03-31", **fields}
    return client.post("/me/profile/licences", data=data)


def test_profile_shows_the_details_and_the_legal_name_hint(client, make, login):
    login(make.user(display_name="Maya", legal_name="Maya R. Learner", credential="OTR/L"))

    page = client.get("/me/profile").get_data(as_text=True)

    assert page.count("<h1") == 1
    assert 'value="Maya R. Learner"' in page
    assert '<option selected value="OTR/L">' in page or '<option value="OTR/L" selected>' in page
    assert "This prints on your certificates exactly as you write it here." in page
    assert 'autocomplete="name"' in page


def test_profile_says_which_notification_emails_the_member_gets_and_links_to_change_them(client, make, login):
    login(make.user(notification_emails="daily"))
    page = client.get("/me/profile").get_data(as_text=True)
    assert "One summary a day" in page and 'href="/me/notifications/settings"' in page


def test_profile_page_runs_a_constant_number_of_queries(client, make, login, queries):
    user = make.user()
    login(user)
    for n in range(5):
        _add_licence(client, state=["TX", "CA", "FL", "NY", "IL"][n])
    with queries() as statements:
        assert client.get("/me/profile").status_code == 200
    assert len(statements) <= 8


def test_profile_edit_saves_the_details(client, make, login, load_user):
    user = make.user()
    login(user)

    response = client.post(
        "/me/profile",
        data={"display_name": " Maya ", "legal_name": "Maya R. Learner", "credential": "COTA/L"},
    )

    assert response.headers["Location"] == "/me/profile"
    saved = load_user(user.email)
    assert (saved.display_name, saved.legal_name, saved.credential) == ("Maya", "Maya R. Learner", "COTA/L")


def test_other_credential_is_typed_in(client, make, login, load_user):
    user = make.user()
    login(user)

    client.post(
        "/me/profile",
        data={"display_name": "Jen", "legal_name": "", "credential": "Other", "credential_other": "OTR, MOT"},
    )

    saved = load_user(user.email)
    assert (saved.legal_name, saved.credential) == (None, "OTR, MOT")
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'value="OTR, MOT"' in page


def test_other_credential_left_blank_is_an_error_beside_it(client, make, login):
    login(make.user())
    response = client.post(
        "/me/profile",
        data={"display_name": "Jen Typed", "legal_name": "", "credential": "Other", "credential_other": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="credential_other-error">Type your credential' in page
    assert 'value="Jen Typed"' in page


def test_profile_rejects_an_empty_display_name_and_an_unknown_credential(client, make, login, load_user):
    user = make.user(display_name="Maya")
    login(user)
    response = client.post("/me/profile", data={"display_name": "", "credential": "Wizard"})
    page = response.get_data(as_text=True)
    assert 'id="display_name-error"' in page
    assert 'id="credential-error"' in page
    assert load_user(user.email).display_name == "Maya"


def test_names_are_escaped(client, make, login):
    login(make.user(display_name="<script>alert(1)</script>"))
    page = client.get("/me/profile").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_add_and_remove_a_licence(client, make, login, licences):
    user = make.user()
    login(user)

    response = _add_licence(client)

    assert response.headers["Location"] == "/me/profile#licences"
    assert licences(user) == [("TX", "OT", "112233", date(2027, 3, 31))]
    page = client.get("/me/profile").get_data(as_text=True)
    assert "Texas · OT" in page
    assert "March 31, 2027" in page

    [licence_id] = [int(chunk.split("/")[0]) for chunk in page.split("/me/profile/licences/")[1:]]
    response = client.post(f"/me/profile/licences/{licence_id}/delete")

    assert response.headers["Location"] == "/me/profile#licences"
    assert licences(user) == []


def test_licence_renewal_date_is_optional(client, make, login, licences):
    user = make.user()
    login(user)
    _add_licence(client, state="DC", profession="OTA", number="OTA-55", renewal_date="")
    assert licences(user) == [("DC", "OTA", "OTA-55", None)]


@pytest.mark.parametrize(
    ("fields", "field_id"),
    [
        ({"state": ""}, "state"),
        ({"state": "ZZ"}, "state"),
        ({"profession": "PT"}, "profession"),
        ({"number": ""}, "number"),
        ({"number": "<b>1</b>"}, "number"),
        ({"renewal_date": "31/03/2027"}, "renewal_date"),
    ],
)
def test_licence_errors_show_beside_the_field(client, make, login, licences, fields, field_id):
    user = make.user(display_name="Maya Typed")
    login(user)

    response = _add_licence(client, **fields)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field_id}-error"' in page
    assert 'value="Maya Typed"' in page  # the details form is still filled in from the account
    assert licences(user) == []


def test_second_licence_for_the_same_state_and_profession_is_refused(client, make, login, licences):
    user = make.user()
    login(user)
    _add_licence(client)
    response = _add_licence(client, number="999")
    assert 'id="state-error">You already have a license for this state and profession' in response.get_data(
        as_text=True
    )
    assert len(licences(user)) == 1


def test_another_users_licence_is_not_found(app, client, make, login, licences):
    owner = make.user()
    with app.app_context():
        licence = Licence(user_id=owner.id, state="NY", profession="OT", number="1")
        db.session.add(licence)
        db.session.commit()
        licence_id = licence.id
    login(make.user())

    response = client.post(f"/me/profile/licences/{licence_id}/delete")

    assert response.status_code == 404
    assert len(licences(owner)) == 1


def test_profile_needs_login(client):
    assert client.get("/me/profile").headers["Location"].startswith("/auth/login")
    assert client.post("/me/profile/licences", data={}).headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("path", ["/auth/login", "/auth/forgot", "/me/password", "/me/profile"])
def test_account_pages_run_few_queries(client, make, login, queries, path):
    login(make.user(verified=False))
    client.get("/auth/login")  # the CSRF token for later requests, outside the count
    with queries() as statements:
        assert client.get(path).status_code == 200
    assert len(statements) <= 8
