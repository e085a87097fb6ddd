"""What the learning package announces; certificates and the forum listen (nothing here imports them)."""

from blinker import Namespace

_signals = Namespace()

# The learner completed the last of the course's lessons. sender: the Flask app; keyword
# arguments: enrolment_id (int), now (aware UTC datetime).
lessons_completed = _signals.signal("lessons-completed")

# The player page is gathered and about to render. sender: the Flask app; keyword argument: page
# (learning.pages.PlayerPage). Receivers may add what they show to `page.extras` (the forum adds
# the lesson's questions); they only read.
player_page_loaded = _signals.signal("player-page-loaded")

# The learner's access to the course ended (a refund, a lost dispute, the author revoking it).
# sender: None; keyword arguments: user_id (int), course_id (int). Receivers write in the caller's
# transaction and do not commit (the forum takes back notifications of the course's private board).
enrolment_revoked = _signals.signal("enrolment-revoked")
