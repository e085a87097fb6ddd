"""Small formatting helpers shared by templates and by HTML built once at sync time."""

import difflib
import re
import unicodedata

from markupsafe import Markup, escape


def clock(seconds: float | int | None) -> str:
    """62 -> '1:02', 3725 -> '1:02:05'."""
    total = int(seconds or 0)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def slugify(text: str, fallback: str, max_length: int = 80) -> str:
    """'Co-teaching: where do I start?' -> 'co-teaching-where-do-i-start'; `fallback` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def transcript_html(cues: list) -> str:
    """The interactive transcript's list items, built once when captions are synced.

    A ten-minute video has ~150 cues; rendering them on every player request was the largest
    part of the page's cost. Each cue's text is escaped here; the player outputs the result.
    """
    items = (
        Markup(
            '<li><button type="button" data-start="{0}" data-end="{1}"><time>{2}</time>{3}</button></li>'
        ).format(float(start), float(end), clock(start), escape(text))
        for start, end, text in cues
    )
    return str(Markup("\n").join(items))


def line_diff(before: str, after: str) -> Markup:
    """Removed lines in <del>, added in <ins>, every line escaped (markdown is text here): a forum
    post's edit history and a lesson's revisions."""
    old, new = before.splitlines(), after.splitlines()
    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [Markup('<span class="diff-line">{}</span>').format(line) for line in old[i1:i2]]
            continue
        lines += [Markup('<del class="diff-line">{}</del>').format(line) for line in old[i1:i2]]
        lines += [Markup('<ins class="diff-line">{}</ins>').format(line) for line in new[j1:j2]]
    return Markup("\n").join(lines) or escape("")
