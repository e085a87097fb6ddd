"""A topic page's post list, and the whole page around it, rendered once and served to every
reader of the same kind (forum.views.topic_page says what else a whole page's key holds).

Rendering 50 posts through Jinja is most of a topic page's cost (about 10 ms of 14: some 580
macro calls and 116 `url_for`). What that HTML shows depends on:
- the topic's posts and their authors, which bump `Topic.version` whenever they change
  (forum.services.topic_changed), so the version is in the key;
- what the reader may do (`ViewerKind`: moderator, may accept an answer, ...), in the key;
- the clock ("5 minutes ago", the delete button's grace period): the minute is in the key;
- whose posts are the reader's own (Edit and Delete, or Report and Suspend) and the reader's CSRF
  token. These two are filled in per reader: the cached HTML holds both sets of buttons for each
  post and a placeholder for the token, and `Rendered.html_for` picks and fills them in.

Each worker process keeps its own entries (no network round trip, nothing to pickle), bounded in
bytes, least recently used out. No entry is ever stale, because a changed topic is asked for
under its new version's key by every worker.
"""

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

_EXTENSION = "forum.post_cache"


@dataclass(frozen=True)
class ViewerKind:
    """Everything about the reader that the post list shows, but who they are."""

    signed_in: bool
    may_post: bool  # "Quote" links
    moderator: bool  # hidden and deleted posts, "Hide" buttons
    may_accept: bool
    may_see_history: bool
    may_suspend: bool


@dataclass(frozen=True)
class Markers:
    """What the template writes around each post's buttons, and in place of the CSRF token.

    The random part keeps them unlike anything else on the page (post bodies are sanitised HTML
    without comments, but a marker should not depend on that)."""

    nonce: str

    @property
    def csrf_token(self) -> str:
        return f"{self.nonce}-csrf"

    def own(self, author_id: int) -> Markup:
        return Markup(f"<!--{self.nonce}:own:{author_id:d}-->")

    @property
    def others(self) -> Markup:
        return Markup(f"<!--{self.nonce}:others-->")

    @property
    def end(self) -> Markup:
        return Markup(f"<!--{self.nonce}:end-->")

    def split(self, html: str) -> list[str]:
        """[text, author id, own buttons, others' buttons, text, author id, ...]."""
        pattern = re.escape(f"<!--{self.nonce}:own:") + r"(\d+)-->(.*?)" + re.escape(
            f"<!--{self.nonce}:others-->") + "(.*?)" + re.escape(f"<!--{self.nonce}:end-->")
        return re.split(pattern, html, flags=re.DOTALL)


@dataclass(frozen=True)
class Rendered:
    """A cached post list or topic page: the HTML around each post's buttons, both sets of
    buttons, and the page as a reader with no post on it sees it, encoded and cut at each CSRF
    token, so that serving it is one join."""

    texts: tuple[str, ...]  # the HTML around the slots: one more than there are slots
    slots: tuple[tuple[int, str, str], ...]  # (author id, own buttons, others' buttons) per post
    authors: frozenset[int]  # whose posts are in it
    shared_utf8: tuple[bytes, ...]  # the HTML for everyone else, split where the CSRF token goes
    csrf_placeholder: str
    highest_shown: int | None  # the highest post number on the page: the reader's new position
    size: int  # characters and bytes held, for the cache's bound

    @classmethod
    def parse(cls, html: str, markers: Markers, highest_shown: int | None) -> "Rendered":
        parts = markers.split(html)
        texts = tuple(parts[0::4])
        slots = tuple((int(author), own, others) for author, own, others
                      in zip(parts[1::4], parts[2::4], parts[3::4], strict=True))
        shared = "".join(_interleave(texts, [others for _author, _own, others in slots]))
        shared_utf8 = tuple(part.encode() for part in shared.split(markers.csrf_token))
        size = len(html) + sum(len(part) for part in shared_utf8)
        authors = frozenset(author for author, _own, _others in slots)
        return cls(texts, slots, authors, shared_utf8, markers.csrf_token, highest_shown, size)

    def marked(self, markers: "Markers") -> Markup:
        """The HTML with its markers back in, to render into a larger cached page."""
        parts = [self.texts[0]]
        for (author, own, others), text in zip(self.slots, self.texts[1:], strict=True):
            parts += (markers.own(author), own, markers.others, others, markers.end, text)
        return Markup("".join(parts))

    def html_for(self, reader_id: int | None, csrf_token: str) -> Markup:
        if reader_id in self.authors:
            return Markup(self._with_own_buttons(reader_id, csrf_token))
        return Markup(self.utf8_for(reader_id, csrf_token).decode())

    def utf8_for(self, reader_id: int | None, csrf_token: str) -> bytes:
        """What `html_for` gives, as the response's body."""
        if reader_id in self.authors:
            return self._with_own_buttons(reader_id, csrf_token).encode()
        return csrf_token.encode().join(self.shared_utf8)

    def _with_own_buttons(self, reader_id: int, csrf_token: str) -> str:
        buttons = [own if author == reader_id else others for author, own, others in self.slots]
        return "".join(_interleave(self.texts, buttons)).replace(self.csrf_placeholder, csrf_token)


def cached(key: tuple) -> Rendered | None:
    return _cache().get(key)


def rendered(key: tuple, render: Callable[[Markers], tuple[str, int | None]]) -> Rendered:
    """The entry for `key`, rendered by `render(markers)` -> (html, highest post number) if absent."""
    cache = _cache()
    found = cache.get(key)
    if found is None:
        html, highest_shown = render(cache.markers)
        found = Rendered.parse(html, cache.markers, highest_shown)
        cache.put(key, found)
    return found


class PostListCache:
    """Least recently used out once the entries pass `max_bytes`; safe across threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.markers = Markers(secrets.token_hex(8))
        self._entries: OrderedDict[tuple, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Rendered | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple, entry: Rendered) -> None:
        size = entry.size
        if size > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            self._bytes -= previous.size if previous is not None else 0
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def __len__(self) -> int:
        return len(self._entries)


def _cache() -> PostListCache:
    cache = current_app.extensions.get(_EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(
            _EXTENSION, PostListCache(current_app.config["FORUM_POST_CACHE_BYTES"])
        )
    return cache


def _interleave(texts: tuple[str, ...], buttons: list[str]) -> list[str]:
    parts = [texts[0]]
    for button, text in zip(buttons, texts[1:], strict=True):
        parts += (button, text)
    return parts
