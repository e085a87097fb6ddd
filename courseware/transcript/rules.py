"""State licence renewal rules: a data table (renewal_rules.yaml), validated and cached.

The table is data so that adding a state is an edit to a file, never a new branch in the code; the
RENEWAL_RULES_FILE setting points at the file to use (the packaged one by default).
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

DEFAULT_RULES_FILE = Path(__file__).with_name("renewal_rules.yaml")


@dataclass(frozen=True)
class RenewalRule:
    """What one state's board asks of a licence per renewal cycle."""

    state: str
    board: str
    unit: str
    hours_per_unit: Decimal
    hours_per_cycle: Decimal
    cycle_years: int
    self_study_max_hours: Decimal | None
    notes: str
    source: str

    @property
    def units_per_cycle(self) -> Decimal:
        """The requirement in the board's own unit (CA: 24 PDUs)."""
        return self.hours_per_cycle / self.hours_per_unit

    @property
    def counts_in_hours(self) -> bool:
        return self.unit.lower() == "hours"


class RulesFileError(ValueError):
    """The rules file cannot be used; the message names the file, the state and the field."""


def load_rules(path: str | Path) -> dict[str, RenewalRule]:
    """The rules by state code. Parsed once per version of the file on disk."""
    try:
        stat = Path(path).stat()
    except OSError as error:
        raise RulesFileError(f"{path}: cannot read the renewal rules file ({error.strerror}).") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int, _size: int) -> dict[str, RenewalRule]:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RulesFileError(f"{path}: not a readable YAML file ({error}).") from None
    return parse_rules(document, path)


_FIELDS = {
    "board",
    "unit",
    "hours_per_unit",
    "hours_per_cycle",
    "cycle_years",
    "self_study_max_hours",
    "notes",
    "source",
}
_REQUIRED = {"board", "unit", "hours_per_cycle", "cycle_years", "self_study_max_hours", "source"}
_STATE_CODE = re.compile(r"^[A-Z]{2}$")


def parse_rules(document: object, origin: str = "renewal rules") -> dict[str, RenewalRule]:
    """Validate a loaded YAML document: every problem is a RulesFileError naming where it is."""
    states = document.get("states") if isinstance(document, dict) else None
    if not isinstance(states, dict) or not states:
        raise RulesFileError(f"{origin}: expected a `states:` mapping of state codes to rules.")
    return {str(code): _parse_rule(code, entry, f"{origin}: {code}") for code, entry in states.items()}


def _parse_rule(code: object, entry: object, where: str) -> RenewalRule:
    if not isinstance(code, str) or not _STATE_CODE.match(code):
        raise RulesFileError(f"{where}: a state code is two capital letters, like TX.")
    if not isinstance(entry, dict):
        raise RulesFileError(f"{where}: expected a mapping of fields.")
    unknown = sorted(set(entry) - _FIELDS)
    missing = sorted(_REQUIRED - set(entry))
    if unknown:
        raise RulesFileError(f"{where}: unknown field {unknown[0]!r}; the fields are {sorted(_FIELDS)}.")
    if missing:
        raise RulesFileError(f"{where}: missing field {missing[0]!r}.")
    hours_per_cycle = _amount(entry, "hours_per_cycle", where, minimum_exclusive=True)
    cap = None if entry["self_study_max_hours"] is None else _amount(entry, "self_study_max_hours", where)
    return RenewalRule(
        state=code,
        board=_text(entry, "board", where),
        unit=_text(entry, "unit", where),
        hours_per_unit=_amount(
            {"hours_per_unit": 1, **entry}, "hours_per_unit", where, minimum_exclusive=True
        ),
        hours_per_cycle=hours_per_cycle,
        cycle_years=_years(entry, where),
        self_study_max_hours=cap,
        notes=_text({"notes": "", **entry}, "notes", where, required=False),
        source=_text(entry, "source", where),
    )


def _text(entry: dict, field: str, where: str, required: bool = True) -> str:
    value = entry[field]
    if not isinstance(value, str) or (required and not value.strip()):
        raise RulesFileError(f"{where}: {field} must be text.")
    return " ".join(value.split())


def _amount(entry: dict, field: str, where: str, minimum_exclusive: bool = False) -> Decimal:
    value = entry[field]
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or (minimum_exclusive and amount == 0):
        bound = "greater than 0" if minimum_exclusive else "0 or more"
        raise RulesFileError(f"{where}: {field} must be a number {bound}, not {value!r}.")
    return amount


def _years(entry: dict, where: str) -> int:
    value = entry["cycle_years"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
        raise RulesFileError(
            f"{where}: cycle_years must be a whole number of years from 1 to 10, not {value!r}."
        )
    return value
