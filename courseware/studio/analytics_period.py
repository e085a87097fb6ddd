"""The date range the analytics look at: `from` and `to` as ISO dates, by default the last 12 months."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_MONTHS = 12
LONGEST_YEARS = 10  # a month axis of 120 points is still readable; longer would not be
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class PeriodError(ValueError):
    """A range no one meant: a malformed date, or an end before the start. `field`: "from" or "to"."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive: "to 2026-03-31" counts the whole of that day (UTC)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, UTC)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, UTC)

    def months(self) -> list[str]:
        """Every month the range touches, as "YYYY-MM", first to last."""
        year, month, labels = self.start.year, self.start.month, []
        while (year, month) <= (self.end.year, self.end.month):
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return labels

    def as_args(self) -> dict[str, str]:
        """The query arguments that name this range (for links and CSV downloads)."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def default_period(today: date) -> Period:
    """This month and the eleven before it: twelve whole months on the axis."""
    month_index = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return Period(date(month_index // 12, month_index % 12 + 1, 1), today)


def parse_period(start_text: str | None, end_text: str | None, today: date) -> Period:
    """The range asked for; a missing end is today, a missing start twelve months before the end."""
    end = _parse(end_text, "to") if end_text else today
    start = _parse(start_text, "from") if start_text else default_period(end).start
    if end < start:
        raise PeriodError("The end date is before the start date.", "to")
    if end.year - start.year > LONGEST_YEARS:
        raise PeriodError(f"Choose a range of at most {LONGEST_YEARS} years.", "from")
    return Period(start, end)


def _parse(text: str, name: str) -> date:
    label = "From" if name == "from" else "To"
    try:
        if len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            f"{label} must be a date written YYYY-MM-DD, for example 2026-03-31.", name
        ) from None
    # Far-off years are typing slips, and year 1 or 9999 would overflow the range's arithmetic.
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(f"{label} must be a date between {EARLIEST} and {LATEST}.", name)
    return day
