"""The forum follows the courses: what it does when the content package announces a change."""

from flask import current_app

from courseware.content import signals as content_signals
from forum import services


@content_signals.courses_synced.connect
def refresh_course_boards(_sender=None, **_extra) -> None:
    """A sync may have added a community course or renamed one: its board follows at once, in the
    sync's own transaction, so no community link ever points at a board that does not exist yet."""
    report = services.ensure_course_boards()
    for slug in report.skipped:
        current_app.logger.warning("The course %s has no board: its slug is a forum path. Rename it.", slug)
