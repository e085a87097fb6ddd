"""What the assessment package announces; certificates listens (nothing here imports it)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Flask app; keyword arguments: enrolment_id (int), now (aware UTC datetime).
post_test_passed = _signals.signal("post-test-passed")
evaluation_submitted = _signals.signal("evaluation-submitted")
