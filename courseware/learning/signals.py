"""What the learning package announces; certificates listens (nothing here imports it)."""

from blinker import Namespace

_signals = Namespace()

# The learner completed the last of the course's lessons. sender: the Flask app; keyword
# arguments: enrolment_id (int), now (aware UTC datetime).
lessons_completed = _signals.signal("lessons-completed")
