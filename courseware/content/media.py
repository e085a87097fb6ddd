"""Media files: their content hash (for lesson versions) and their real duration (for `check`)."""

import hashlib
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from courseware.content.tree import CourseFile, LessonFile
from courseware.content.validation import format_duration
from courseware.content.yamldoc import ContentError

DURATION_TOLERANCE_SECONDS = 2.0
NO_FFPROBE_WARNING = "ffprobe is not installed: lesson durations were not compared with the media files"


class MediaHasher:
    """sha256 of media files, each read once per run.

    Content, not size and mtime: a fresh clone has new mtimes, and a sync there must change nothing.
    """

    def __init__(self) -> None:
        self._hashes: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._hashes:
            digest = hashlib.sha256()
            with path.open("rb") as media:
                for chunk in iter(lambda: media.read(1 << 20), b""):
                    digest.update(chunk)
            self._hashes[path] = digest.hexdigest()
        return self._hashes[path]


def compare_durations(courses: list[CourseFile]) -> tuple[list[ContentError], list[str]]:
    """Errors for videos whose front-matter duration is off by more than 2 s; a warning if we cannot tell.

    The front-matter duration is what watch time is measured against, so a wrong one would let
    learners complete without watching, or never complete.
    """
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return [], [NO_FFPROBE_WARNING]
    videos = [
        (course.path / lesson.video, lesson)
        for course in courses for lesson in course.lessons if lesson.video and lesson.duration_seconds
    ]
    # ffprobe spends most of its time starting up, so a few run side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        durations = list(pool.map(lambda item: probe_duration(ffprobe, item[0]), videos))
    errors = [_compare(real, lesson) for real, (_path, lesson) in zip(durations, videos, strict=True)]
    return [error for error in errors if error], []


def _compare(real: float | None, lesson: LessonFile) -> ContentError | None:
    written = lesson.duration_seconds or 0
    if real is not None and abs(real - written) <= DURATION_TOLERANCE_SECONDS:
        return None
    line = lesson.lines.get("duration")
    shown = format_duration(written)
    if real is None:
        return ContentError(lesson.source, line, "duration", f"could not read the length of {lesson.video}")
    return ContentError(lesson.source, line, "duration",
                        f'"{shown}" does not match {lesson.video}, which is {real:.1f} s long')


def probe_duration(ffprobe: str, video: Path) -> float | None:
    """The container's duration in seconds, or None when ffprobe cannot read the file."""
    command = [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(video)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        return float(result.stdout.strip()) if result.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
