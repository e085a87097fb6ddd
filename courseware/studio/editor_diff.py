"""Differences between two versions of a lesson, for the history and for a refused save."""

import difflib
from dataclasses import dataclass

from markupsafe import Markup, escape

from courseware.formatting import clock
from courseware.studio.editor import LessonContent


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def body_diff(before: str, after: str) -> Markup:
    """Line by line: removed lines in <del>, added in <ins>, every line escaped (it is markdown)."""
    old, new = before.splitlines(), after.splitlines()
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [Markup('<span class="diff-line">{}</span>').format(line) for line in old[i1:i2]]
            continue
        lines += [Markup('<del class="diff-line">{}</del>').format(line) for line in old[i1:i2]]
        lines += [Markup('<ins class="diff-line">{}</ins>').format(line) for line in new[j1:j2]]
    return Markup("\n").join(lines) or escape("")


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
