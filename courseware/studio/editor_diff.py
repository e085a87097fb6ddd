"""Differences between two versions of a lesson, for the history and for a refused save."""

from dataclasses import dataclass

from courseware.formatting import clock
from courseware.studio.editor import LessonContent


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def field_changes(before: LessonContent, after: LessonContent) -> list[FieldChange]:
    """The settings (not the text) that differ, as the author reads them."""
    pairs = (
        ("Title", before.title, after.title),
        ("Video length", _duration(before.duration_seconds), _duration(after.duration_seconds)),
        ("Credit minutes", _credit(before.credit_minutes), _credit(after.credit_minutes)),
        ("Free preview", _yes_no(before.preview), _yes_no(after.preview)),
    )
    return [FieldChange(label, old, new) for label, old, new in pairs if old != new]


def _duration(seconds: int | None) -> str:
    return "none" if seconds is None else f"{clock(seconds)} ({seconds} s)"


def _credit(minutes: int | None) -> str:
    return "shares the remaining minutes" if minutes is None else str(minutes)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
