"""WebVTT captions -> transcript cues [[start_s, end_s, text], ...] for the interactive transcript.

Only what the transcript needs is read: cue timings and text. NOTE, STYLE and REGION blocks, cue
identifiers and cue settings are skipped; markup inside the text (<v Name>, <i>, inline timestamps)
is removed, so the stored text is plain and the template escapes it like any other text.
"""

import html
import re

Cue = list  # [start_seconds: float, end_seconds: float, text: str], as stored in Lesson.transcript

_TIMING = re.compile(r"^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$")
_TIMESTAMP = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_MARKUP = re.compile(r"<[^>]*>")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


class VttError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_vtt(text: str) -> list[Cue]:
    """Cues in file order; raises VttError with the 1-based line of the first problem."""
    blocks = _blocks(text.lstrip("\ufeff").splitlines())
    if not blocks or not _is_header(blocks[0][1][0]) or blocks[0][0] != 1:
        raise VttError(1, 'missing the "WEBVTT" header on the first line')
    cues = []
    for first_line, lines in blocks[1:]:
        if lines[0].split(" ")[0].split("\t")[0] in _SKIPPED_BLOCKS:
            continue
        cues.append(_cue(first_line, lines))
    return cues


def _is_header(line: str) -> bool:
    return line == "WEBVTT" or line.startswith(("WEBVTT ", "WEBVTT\t"))


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks, each with the line number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(line.rstrip())
        else:
            current = []
    return blocks


def _cue(first_line: int, lines: list[str]) -> Cue:
    # A cue may start with an identifier line; the timing line is then the second one.
    timing_index = 0 if "-->" in lines[0] else 1
    if timing_index >= len(lines) or "-->" not in lines[timing_index]:
        example = "00:01.000 --> 00:04.000"
        raise VttError(first_line, f'expected a cue timing line like "{example}", got "{lines[0]}"')
    line_number = first_line + timing_index
    match = _TIMING.match(lines[timing_index])
    if not match:
        raise VttError(line_number, f'invalid cue timing "{lines[timing_index]}"')
    start, end = (_seconds(value, line_number) for value in match.groups())
    if end <= start:
        raise VttError(line_number, f'cue ends before it starts: "{lines[timing_index]}"')
    text = " ".join(_plain(line) for line in lines[timing_index + 1 :])
    return [start, end, text.strip()]


def _seconds(value: str, line_number: int) -> float:
    match = _TIMESTAMP.match(value)
    if not match:
        raise VttError(line_number, f'invalid timestamp "{value}" (expected mm:ss.ttt or hh:mm:ss.ttt)')
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _plain(line: str) -> str:
    return html.unescape(_MARKUP.sub("", line)).strip()
