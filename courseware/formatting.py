"""Small formatting helpers shared by templates and by HTML built once at sync time."""

from markupsafe import Markup, escape


def clock(seconds: float | int | None) -> str:
    """62 -> '1:02', 3725 -> '1:02:05'."""
    total = int(seconds or 0)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


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
