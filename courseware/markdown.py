"""The one place where markdown becomes HTML. Everything is sanitised, the author's text too.

Authors (trusted) may use raw HTML blocks, headings, images and tables; learners may not write raw
HTML (it is shown as text), their links get rel="nofollow ugc" and their images (markdown `![alt](url)`,
forum posts) keep only an https src, alt and title, and load lazily. Either way bleach removes every
tag, attribute and URL scheme outside the allow-lists, so no script reaches a page.
"""

from functools import cache

import bleach
from bleach.html5lib_shim import Filter
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
_LEARNER_TAGS = _COMMON_TAGS | {"img"}


def _learner_image_attribute(tag: str, name: str, value: str) -> bool:
    # An image by absolute https URL only: no relative path into the site, no data:, and no plain
    # http, which an https page would refuse to load (mixed content; the CSP allows https: images).
    if name == "src":
        return value.lower().startswith("https://")
    return name in ("alt", "title")


_LEARNER_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"], "img": _learner_image_attribute}
_PROTOCOLS = {"http", "https", "mailto"}


def render(text: str, trusted: bool = False) -> str:
    """Markdown source -> sanitised HTML. `trusted` is for course authors, not learners."""
    html = _parser(trusted).render(text or "")
    return _cleaner(trusted).clean(html)


def text_outside_quotes_and_code(text: str) -> str:
    """The words someone wrote themselves: their markdown's plain text outside block quotes, code
    blocks and code spans (where "@name" is quoted or is code, not addressed to anyone)."""
    pieces, quote_depth = [], 0
    for token in _parser(False).parse(text or ""):
        if token.type in ("blockquote_open", "blockquote_close"):
            quote_depth += 1 if token.type == "blockquote_open" else -1
        elif token.type == "inline" and quote_depth == 0:
            pieces += [_plain(child) for child in token.children or ()]
            pieces.append("\n")
    return "".join(pieces).strip()


def _plain(token) -> str:
    if token.type == "text":
        return token.content
    return " " if token.type in ("softbreak", "hardbreak", "code_inline") else ""


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
        tags=_LEARNER_TAGS,
        attributes=_LEARNER_ATTRIBUTES,
        protocols=_PROTOCOLS,
        strip=True,
        filters=[lambda source: LinkifyFilter(source, callbacks=[_nofollow_ugc]), _LazyImages],
    )


def _nofollow_ugc(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


class _LazyImages(Filter):
    """Runs after sanitising: a learner's images load only when scrolled to (a long topic page)."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                token["data"][(None, "loading")] = "lazy"
            yield token
