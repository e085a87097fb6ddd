"""What the accounts package announces; other packages connect receivers (DESIGN §2)."""

from blinker import Namespace

_signals = Namespace()

# keyword argument: user_id. What others see of the member (display name, @handle, role badge) changed,
# so pages that show it beside their posts render it again (the forum's cached post lists).
public_name_changed = _signals.signal("public-name-changed")
