"""The transcript as CSV rows: one per certificate or recorded credit.

Cells are defused against formulas by courseware.csvexport when the response is written.
"""

from collections.abc import Callable

from courseware.content.ce import format_hours
from courseware.transcript.services import Activity, Transcript

CSV_HEADER = [
    "Date",
    "Title",
    "Provider",
    "Contact hours",
    "CEUs",
    "PDUs",
    "Format",
    "Serial / id",
    "Verify URL",
]
FORMAT_LABELS = {"self_study": "Self-study", "live": "Live"}


def transcript_rows(transcript: Transcript, verify_url: Callable[[str], str]) -> list[list[str]]:
    """`verify_url(public_id)` builds the link for a certificate whose snapshot lacks one."""
    return [_row(activity, verify_url) for activity in transcript.activities]


def _row(activity: Activity, verify_url: Callable[[str], str]) -> list[str]:
    link = ""
    if activity.public_id:
        link = activity.verify_url or verify_url(activity.public_id)
    return [
        activity.completed_on.isoformat(),
        activity.title,
        activity.provider,
        format_hours(activity.contact_hours),
        activity.ceus_text,
        format_hours(activity.pdus),
        FORMAT_LABELS.get(activity.format, activity.format),
        activity.reference,
        link,
    ]
