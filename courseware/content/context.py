"""What the readers of one course share: its folder, the shared error list, media and caption checks."""

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from courseware.content.vtt import Cue, VttError, parse_vtt
from courseware.content.yamldoc import ContentError, SourceFile


@dataclass
class CourseContext:
    course_dir: Path
    root: Path  # the courses folder's parent: error paths read `courses/<slug>/...`
    errors: list[ContentError]
    # Captions parsed once per course even when several lessons share a file (None = invalid).
    _transcripts: dict[str, list[Cue] | None] = field(default_factory=dict)

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def source(self, path: Path) -> SourceFile:
        return SourceFile(path, self.display(path), self.errors)

    def media(self, source: SourceFile, line: int, field_name: str, value: str,
              suffixes: tuple[str, ...] | None = None) -> str | None:
        """A file path relative to the course folder, checked to exist inside it; None on an error."""
        relative = PurePosixPath(value.strip())
        problem = None
        if relative.is_absolute() or ".." in relative.parts:
            problem = "must be a path inside the course folder, like media/intro.mp4"
        elif suffixes and relative.suffix.lower() not in suffixes:
            problem = f"must be a {' or '.join(suffixes)} file"
        elif not (self.course_dir / relative).is_file():
            problem = "does not exist"
        if problem:
            source.error(line, field_name, f'"{value}" {problem}')
            return None
        return relative.as_posix()

    def transcript(self, captions: str) -> list[Cue] | None:
        if captions not in self._transcripts:
            self._transcripts[captions] = self._read_captions(self.course_dir / captions)
        return self._transcripts[captions]

    def _read_captions(self, path: Path) -> list[Cue] | None:
        source = self.source(path)
        text = source.read_text()
        if text is None:
            return None
        try:
            return parse_vtt(text)
        except VttError as exc:
            source.error(exc.line, None, f"invalid WebVTT: {exc}")
            return None
