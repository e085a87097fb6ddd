"""/me/transcript: certificates and recorded credits, hours per licence cycle, empty states, statements."""

import re
from datetime import date, timedelta

import pytest

from tests.transcript.conftest import Earned, today_where_learners_live

TODAY = today_where_learners_live()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def text_of(html: str) -> str:
    """The page as a reader sees it: tags out, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/me/transcript")

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_page_lists_certificates_and_recorded_credits_with_their_links(
    client, make, login, certificates, external_credit
):
    user = make.user(legal_name="Zoë Ñúñez-O'Brien")
    own_role, isolation = certificates(
        user,
        Earned("Own Your Role", days_ago(40), "1.00", pdus="1.25"),
        Earned("From Isolation to Integration", days_ago(10), "6.75", pdus="8.44"),
    )
    credit = external_credit(
        user, "Sensory Strategies Conference", days_ago(20), "3.50", provider="State OTA", format="live"
    )
    login(user)

    response = client.get("/me/transcript")

    html = response.get_data(as_text=True)
    page = text_of(html)
    assert response.status_code == 200
    assert (
        page.index("From Isolation to Integration")
        < page.index("Sensory Strategies")
        < page.index("Own Your Role")
    )
    assert "3 activities · 11.25 hours · 13.19 NBCOT PDUs" in page
    assert "6.75 0.675 8.44" in page  # hours, CEUs and PDUs of the 6.75-hour course
    assert "State OTA" in page and "Live" in page and "3.5" in page
    assert f'href="/certificates/{isolation}.pdf"' in html
    assert f'href="/verify/{isolation}"' in html
    assert f'href="/verify/{own_role}"' in html
    assert f'href="/me/transcript/credits/{credit.id}/delete"' in html
    assert "No certificates from" not in page


def test_revoked_certificates_and_other_learners_records_are_never_shown(
    client, make, login, certificates, external_credit
):
    me, other = make.user(), make.user()
    certificates(me, Earned("Mine", days_ago(5)), Earned("Revoked course", days_ago(6), revoked=True))
    certificates(other, Earned("Someone else's course", days_ago(5)))
    external_credit(other, "Someone else's conference", days_ago(5))
    login(me)

    page = client.get("/me/transcript").get_data(as_text=True)

    assert "Mine" in page
    assert "Revoked course" not in page
    assert "Someone else" not in page
    assert "1 activity · 1 hour" in text_of(page)


def test_a_licence_shows_its_current_cycle_hours_earned_and_still_needed(
    client, make, login, licence, certificates, external_credit
):
    user = make.user()
    renewal = TODAY + timedelta(days=90)
    licence(user, "TX", renewal)
    certificates(
        user, Earned("Inside", days_ago(30), "6.75"), Earned("Before the cycle", days_ago(800), "10.00")
    )
    external_credit(user, "Live workshop", days_ago(15), "3.00", format="live")
    login(user)

    page = text_of(client.get("/me/transcript").get_data(as_text=True))

    first_day = renewal.replace(year=renewal.year - 2) + timedelta(days=1)
    assert "Texas · OT" in page
    assert "14.25 hours still needed" in page  # 24 - 6.75 - 3
    assert "Counted 9.75 of 24 hours from 2 activities" in page
    assert f"{first_day.strftime('%b')} {first_day.day}, {first_day.year} to" in page
    assert "Texas Board of Occupational Therapy Examiners" in page


def test_self_study_over_a_states_limit_does_not_count(client, make, login, licence, certificates):
    user = make.user()
    licence(user, "FL", TODAY + timedelta(days=30))
    certificates(user, *(Earned(f"Course {n}", days_ago(n + 1), "5.00") for n in range(3)))
    login(user)

    page = text_of(client.get("/me/transcript").get_data(as_text=True))

    assert "Self-study counts up to 12 hours per cycle: 12 counted;" in page
    assert "3 hours of self-study over the limit do not count" in page
    assert "14 hours still needed" in page  # 26 - 12


def test_a_met_requirement_says_so(client, make, login, licence, certificates):
    user = make.user()
    licence(user, "IL", TODAY + timedelta(days=30))
    certificates(user, Earned("Big course", days_ago(3), "24.00"))
    login(user)

    page = client.get("/me/transcript").get_data(as_text=True)

    assert "Requirement met" in page
    assert "still needed" not in page


def test_california_shows_its_requirement_in_pdus(client, make, login, licence):
    user = make.user()
    licence(user, "CA", TODAY + timedelta(days=30))
    login(user)

    page = text_of(client.get("/me/transcript").get_data(as_text=True))

    assert "Required 24 PDUs every 2 years (24 hours)" in page


def test_a_licence_without_a_renewal_date_asks_for_it(client, make, login, licence):
    user = make.user()
    licence(user, "NY", None)
    login(user)

    html = client.get("/me/transcript").get_data(as_text=True)

    assert "Add your renewal date to see the hours in your current cycle" in html
    assert 'href="/me/profile#licences"' in html
    assert "36 hours every 3 years" in html


def test_a_renewal_date_in_the_past_shows_the_cycle_that_ended(client, make, login, licence, certificates):
    user = make.user()
    renewal = days_ago(10)
    licence(user, "TX", renewal)
    certificates(user, Earned("Last year", days_ago(100), "4.00"))
    login(user)

    page = text_of(client.get("/me/transcript").get_data(as_text=True))

    assert f"This cycle ended on {renewal.strftime('%b')} {renewal.day}, {renewal.year}" in page
    assert "update your renewal date in your profile" in page
    assert "20 hours short when this cycle ended" in page


def test_a_state_without_rules_sends_the_learner_to_their_board(client, make, login, licence):
    user = make.user()
    licence(user, "OR", TODAY + timedelta(days=30))
    login(user)

    page = text_of(client.get("/me/transcript").get_data(as_text=True))

    assert "Oregon · OT" in page
    assert "We don't have renewal rules for OR yet; check your board's requirements." in page


def test_empty_states_say_how_to_earn_a_certificate_and_add_a_licence(client, make, login):
    login(make.user())

    html = client.get("/me/transcript").get_data(as_text=True)

    assert "No certificates from" in html
    assert 'href="/me/"' in html and "Go to my learning" in html
    assert "No licenses yet" in html
    assert 'href="/me/profile#licences"' in html
    assert "Record a certificate from elsewhere" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_a_constant_number_of_statements(
    client, make, login, licence, certificates, external_credit, queries, count
):
    user = make.user()
    licence(user, "TX", TODAY + timedelta(days=30))
    licence(user, "FL", TODAY + timedelta(days=30), number="FL-1")
    certificates(user, *(Earned(f"Course {n}", days_ago(n + 1)) for n in range(count)))
    for n in range(count):
        external_credit(user, f"Credit {n}", days_ago(n + 1))
    login(user)

    with queries() as statements:
        response = client.get("/me/transcript")

    assert response.status_code == 200
    assert f"{2 * count} activities" in response.get_data(as_text=True)
    assert len(statements) <= 8, statements
    assert len(statements) == 4  # the user, licences, certificates, recorded credits
