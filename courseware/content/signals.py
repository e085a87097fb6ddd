"""What the content package announces; other packages listen (nothing here imports them)."""

from blinker import Namespace

_signals = Namespace()

# A sync wrote changed course files to the database (in its transaction, before the commit): a
# course may have been added, renamed, or may have opened or closed its community. Not sent when
# nothing changed. Keyword arguments: report (content.services.SyncReport).
courses_synced = _signals.signal("courses-synced")

# A lesson that learners could not see became live: published now in the studio or by a sync of the
# course files, or its scheduled time passed (`flask courses publish-due` announces it). Sent once per
# lesson going live, in the transaction, before the commit. Sender: the Lesson; keyword arguments:
# course_id, lesson_id.
lesson_published = _signals.signal("lesson-published")
