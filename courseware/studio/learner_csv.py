"""The learners page as CSV rows: one row per learner, every column the page shows.

Cells go through courseware.csvexport, which defuses anything a spreadsheet would run as a formula.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal

from courseware.content.ce import format_hours
from courseware.content.models import Course
from courseware.studio.learners import LearnerRow

CSV_HEADER = (
    "Name,Email,Enrolled,Source,Lessons completed,Lessons,Hours completed,Contact hours,Post-test,"
    "Evaluation,Certificate,Certificate status,Last activity,Access,Revoked reason"
).split(",")


def csv_rows(course: Course, rows: Iterable[LearnerRow]) -> Iterator[list[object]]:
    for row in rows:
        enrolment, certificate = row.enrolment, row.certificate
        yield [
            row.name,
            row.email,
            _iso(enrolment.created_at),
            enrolment.source,
            enrolment.lessons_completed,
            course.lesson_count,
            format_hours(Decimal(enrolment.credit_minutes_completed) / 60),
            format_hours(course.contact_hours),
            row.post_test.text if row.post_test else "No post-test",
            _evaluation(course, row),
            certificate.serial if certificate else "",
            ("revoked" if certificate.revoked else "valid") if certificate else "",
            _iso(enrolment.last_activity_at),
            "revoked" if enrolment.revoked_at else "active",
            enrolment.revoked_reason or "",
        ]


def _evaluation(course: Course, row: LearnerRow) -> str:
    if row.evaluated_at:
        return "Done"
    return "Not done" if (course.completion or {}).get("evaluation") else "Not required"


def _iso(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""
