"""The renewal rules table: the packaged data, validation, and adding a state through RENEWAL_RULES_FILE."""

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
import yaml

from courseware.transcript.rules import DEFAULT_RULES_FILE, RulesFileError, load_rules, parse_rules

D = Decimal

WASHINGTON = {
    "board": "Washington Occupational Therapy Practice Board",
    "unit": "hours",
    "hours_per_cycle": 30,
    "cycle_years": 2,
    "self_study_max_hours": 10,
    "notes": "Test entry for a state added by configuration.",
    "source": "Test fixture",
}


def packaged_document() -> dict:
    return yaml.safe_load(DEFAULT_RULES_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("state", "unit", "hours", "years", "cap"),
    [
        ("TX", "hours", D(24), 2, None),
        ("CA", "PDUs", D(24), 2, None),
        ("FL", "hours", D(26), 2, D(12)),
        ("NY", "hours", D(36), 3, D(24)),
        ("IL", "hours", D(24), 2, None),
    ],
)
def test_the_packaged_table_holds_the_five_states(state, unit, hours, years, cap):
    rule = load_rules(DEFAULT_RULES_FILE)[state]

    assert (rule.unit, rule.hours_per_cycle, rule.cycle_years, rule.self_study_max_hours) == (
        unit,
        hours,
        years,
        cap,
    )
    assert rule.board and rule.source and rule.notes


def test_california_counts_pdus_at_one_hour_each():
    rule = load_rules(DEFAULT_RULES_FILE)["CA"]

    assert rule.hours_per_unit == D(1)
    assert rule.units_per_cycle == D(24)
    assert not rule.counts_in_hours
    assert "1 PDU" in rule.notes


def test_the_file_is_parsed_once_until_it_changes_on_disk(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"states": {"WA": WASHINGTON}}), encoding="utf-8")
    first = load_rules(path)

    assert load_rules(path) is first

    changed = {**WASHINGTON, "hours_per_cycle": 32}
    path.write_text(yaml.safe_dump({"states": {"WA": changed, "OR": WASHINGTON}}), encoding="utf-8")

    assert load_rules(path)["WA"].hours_per_cycle == D(32)


def _broken(**changes) -> dict:
    document = copy.deepcopy(packaged_document())
    document["states"]["FL"].update(changes)
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "expected a `states:` mapping"),
        ({"states": []}, "expected a `states:` mapping"),
        ({"states": {"Texas": WASHINGTON}}, "two capital letters"),
        ({"states": {"WA": "24 hours"}}, "expected a mapping"),
        (_broken(hours_per_cycle=-1), "FL: hours_per_cycle must be a number greater than 0"),
        (_broken(hours_per_cycle=0), "FL: hours_per_cycle must be a number greater than 0"),
        (_broken(hours_per_cycle=".nan"), "FL: hours_per_cycle must be a number"),
        (_broken(self_study_max_hours="twelve"), "FL: self_study_max_hours must be a number 0 or more"),
        (_broken(cycle_years=True), "FL: cycle_years must be a whole number"),
        (_broken(cycle_years=2.5), "FL: cycle_years must be a whole number"),
        (_broken(board=""), "FL: board must be text"),
        (_broken(hours_per_unit=0), "FL: hours_per_unit must be a number greater than 0"),
        (_broken(self_study_max=12), "FL: unknown field 'self_study_max'"),
    ],
)
def test_a_broken_table_is_refused_with_the_state_and_the_field(document, message):
    with pytest.raises(RulesFileError, match=message.replace("(", r"\(")):
        parse_rules(document, "rules.yaml")


def test_a_missing_field_is_named():
    document = packaged_document()
    del document["states"]["NY"]["self_study_max_hours"]

    with pytest.raises(RulesFileError, match="NY: missing field 'self_study_max_hours'"):
        parse_rules(document, "rules.yaml")


def test_a_missing_or_unreadable_file_is_named(tmp_path):
    with pytest.raises(RulesFileError, match="cannot read"):
        load_rules(tmp_path / "nowhere.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("states: [unclosed", encoding="utf-8")
    with pytest.raises(RulesFileError, match="not a readable YAML file"):
        load_rules(bad)


@pytest.fixture
def extra_rules_file(tmp_path) -> str:
    """The packaged table plus Washington, as a deployment would add a state."""
    document = packaged_document()
    document["states"]["WA"] = WASHINGTON
    path = tmp_path / "more_rules.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def app_config(app_config, extra_rules_file) -> dict:
    return {**app_config, "RENEWAL_RULES_FILE": extra_rules_file}


def test_a_state_added_in_the_configured_rules_file_gets_its_cycle(
    app, client, make, login, licence, certificates
):
    from tests.transcript.conftest import Earned, today_where_learners_live

    user = make.user()
    renewal = today_where_learners_live() + timedelta(days=200)
    licence(user, "WA", renewal)
    licence(user, "TX", renewal, number="TX-1")
    certificates(user, Earned("Own Your Role", today_where_learners_live() - timedelta(days=3), "4.00"))
    login(user)

    page = client.get("/me/transcript").get_data(as_text=True)

    assert app.config["RENEWAL_RULES_FILE"].endswith("more_rules.yaml")
    assert "Washington Occupational Therapy Practice Board" in page
    assert "26 hours still needed" in page  # WA: 30 required, 4 earned
    assert "20 hours still needed" in page  # TX still comes from the same file
    assert "don't have renewal rules for WA" not in page
