"""The one place where markdown becomes HTML. Everything is sanitised, the author's text too.

Authors (trusted) may use raw HTML blocks, headings, images and tables; learners may not write raw
HTML (it is shown as text) and their links get rel="nofollow ugc". Either way bleach removes every
tag, attribute and URL scheme outside the allow-lists, so no script reaches a page.
"""

from functools import cache

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

_COMMON_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "del", "s", "sup", "sub",
}
_AUTHOR_TAGS = _COMMON_TAGS | {
    "h2", "h3", "h4", "h5", "h6", "img", "table", "thead", "tbody", "tr", "th", "td", "figure",
    "figcaption", "abbr", "kbd", "details", "summary", "dl", "dt", "dd",
}
_AUTHOR_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "title", "width", "height"],
    "abbr": ["title"],
    "th": ["align", "scope"],
    "td": ["align"],
    "ol": ["start"],
}
_LEARNER_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
_PROTOCOLS = {"http", "https", "mailto"}


def render(text: str, trusted: bool = False) -> str:
    """Markdown source -> sanitised HTML. `trusted` is for course authors, not learners."""
    html = _parser(trusted).render(text or "")
    return _cleaner(trusted).clean(html)


@cache
def _parser(trusted: bool) -> MarkdownIt:
    options = {"html": trusted, "linkify": False, "typographer": True}
    return MarkdownIt("commonmark", options).enable(["table", "strikethrough"])


@cache
def _cleaner(trusted: bool) -> bleach.Cleaner:
    if trusted:
        return bleach.Cleaner(
            tags=_AUTHOR_TAGS, attributes=_AUTHOR_ATTRIBUTES, protocols=_PROTOCOLS, strip=True
        )
    return bleach.Cleaner(
        tags=_COMMON_TAGS,
        attributes=_LEARNER_ATTRIBUTES,
        protocols=_PROTOCOLS,
        strip=True,
        filters=[lambda source: LinkifyFilter(source, callbacks=[_nofollow_ugc])],
    )


def _nofollow_ugc(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs
