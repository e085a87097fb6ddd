from decimal import Decimal

import pytest

from courseware.content.validation import (
    format_duration,
    parse_contact_hours,
    parse_duration,
    parse_price,
    share_credit,
    split_numbered_name,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("0:30", 30), ("4:59", 299), ("75:00", 4500), ("1:02:03", 3723), ("0:00:45", 45),
])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("seconds", [1, 30, 299, 3599, 3600, 3723, 36000])
def test_format_duration_round_trips(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["4:61", "1:2", "90", "1:60:00", "0:30.5", "", "a:bc"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="is not m:ss or h:mm:ss"):
        parse_duration(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("20.00 USD", (2000, "USD")), ("free", (0, "USD")), ("Free", (0, "USD")), ("179 USD", (17900, "USD")),
])
def test_prices(text, expected):
    assert parse_price(text) == expected


@pytest.mark.parametrize("text", ["$20", "20.0 USD", "20.00 usd", "20.00", "-5.00 USD", "twenty"])
def test_bad_prices(text):
    with pytest.raises(ValueError, match="is not a price"):
        parse_price(text)


def test_contact_hours():
    assert parse_contact_hours("6.75") == Decimal("6.75")
    for text in ("0", "-1", "100.5", "abc", "NaN", "6.755"):
        with pytest.raises(ValueError):
            parse_contact_hours(text)


@pytest.mark.parametrize(("explicit", "shares"), [
    ([None, None, None], [20, 20, 20]),
    ([None, None, None, None, None, None, None], [9, 9, 9, 9, 8, 8, 8]),  # leftover to the earliest
    ([30, None, None], [30, 15, 15]),
    ([60, None], [60, 0]),
    ([20, 40], [20, 40]),
])
def test_share_credit(explicit, shares):
    assert share_credit(60, explicit) == shares
    assert sum(shares) == 60


@pytest.mark.parametrize(("explicit", "message"), [
    ([20, 30], "lessons give 50 credit minutes in all"),
    ([50, 20, None], "lessons with credit_minutes already give 70"),
])
def test_share_credit_refuses(explicit, message):
    with pytest.raises(ValueError, match=message):
        share_credit(60, explicit)


def test_numbered_names():
    assert split_numbered_name("03-model-coach-fade") == (3, "model-coach-fade")
    assert split_numbered_name("10-x") == (10, "x")
    for name in ("media", "01_intro", "01-Intro", "01-", "intro-01"):
        assert split_numbered_name(name) is None
