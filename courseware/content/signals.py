"""What the content package announces; other packages listen (nothing here imports them)."""

from blinker import Namespace

_signals = Namespace()

# A sync wrote changed course files to the database (in its transaction, before the commit): a
# course may have been added, renamed, or may have opened or closed its community. Not sent when
# nothing changed. Keyword arguments: report (content.services.SyncReport).
courses_synced = _signals.signal("courses-synced")
