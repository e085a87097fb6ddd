"""The disk side of `flask courses export`: folder and file names, atomic writes, stale files, media
(from the course folder, or from the studio's media store, local or S3, streamed either way).

Names already on disk are kept when they still sort in the database's order, so an author's own
numbering (`10-intro`, `20-next`) survives an export; otherwise a level is numbered afresh (01, 02, ...)
and the old files and folders of the same slugs are renamed or removed, because two files with one
slug would make the next sync fail, and a file the database no longer has would bring a lesson back.
"""

import filecmp
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from courseware.content.validation import split_numbered_name
from courseware.content.yamldoc import ContentError
from courseware.storage import MediaStore, StoreUnavailable

# module slug -> (folder name, {lesson slug: file name})
Layout = dict[str, tuple[str, dict[str, str]]]


class TreeProblem(Exception):
    """A file or folder that stops the export of its course (it cannot be written, say)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class CourseFolder:
    """One course's folder in the export's target; `errors` collects what did not stop the export."""

    def __init__(self, path: Path, display_root: Path) -> None:
        self.path, self.display_root = path, display_root
        self.errors: list[ContentError] = []
        self.renamed: list[str] = []

    def display(self, path: Path) -> str:
        return (
            path.relative_to(self.display_root).as_posix()
            if path.is_relative_to(self.display_root)
            else str(path)
        )

    def arrange(self, modules: list) -> Layout:
        """Folder and file names for the modules and lessons, renaming module folders whose number changes
        (so the images an author keeps beside the lessons move with them)."""
        if self.path.exists() and not self.path.is_dir():
            raise TreeProblem(self.display(self.path), "is a file, not a course folder")
        existing = _numbered(self.path, lambda p: p.is_dir(), lambda p: p.name)
        names = _choose_names(existing, [module.slug for module, _lessons in modules], suffix="")
        layout: Layout = {}
        for (module, lessons), name in zip(modules, names, strict=True):
            self._rename(existing.get(module.slug), name)
            folder = self.path / name
            on_disk = _numbered(folder, _is_lesson_file, lambda p: p.stem)
            slugs = [lesson.slug for lesson in lessons]
            layout[module.slug] = (name, dict(zip(slugs, _choose_names(on_disk, slugs, ".md"), strict=True)))
        return layout

    def remove_stale(self, layout: Layout, *, with_post_test: bool, with_evaluation: bool) -> list[str]:
        """Lesson, module and question files that the database does not have; nothing else."""
        removed: list[str] = []
        wanted = {name: set(lessons.values()) for name, lessons in layout.values()}
        for folder in sorted(p for p in self._children() if p.is_dir() and split_numbered_name(p.name)):
            keep = wanted.get(folder.name)
            removed += [self._remove(path) for path in sorted(folder.glob("*.md")) if _is_stale(path, keep)]
            if keep is None:
                self._remove_folder(folder)
        for name, kept in (("post-test.yaml", with_post_test), ("evaluation.yaml", with_evaluation)):
            if not kept and (self.path / name).is_file():
                removed.append(self._remove(self.path / name))
        return removed

    def copy_media(self, uploads: "CourseUploads", source: Path, paths: list[str]) -> int:
        """Copy each referenced file that the target lacks or holds in another version, from the media
        store when the studio uploaded it, else from the course folder; count the copies."""
        copied = 0
        for relative in paths:
            target = self.path / relative
            if PurePosixPath(relative).is_absolute() or ".." in PurePosixPath(relative).parts:
                self._error(self.path, f'"{relative}" is not a path inside the course folder')
                continue
            try:
                from_store = uploads.copy_if_needed(relative, target)
            except StoreUnavailable as away:
                self._error(target, f"could not be copied from the media store ({away})")
                continue
            if from_store or (from_store is None and _copy_if_needed(source / relative, target)):
                copied += 1
            elif not target.is_file():
                self._error(target, f"is missing, and is not in {source.as_posix()} either")
        return copied

    def _error(self, path: Path, message: str) -> None:
        self.errors.append(ContentError(self.display(path), None, None, message))

    def _children(self) -> list[Path]:
        return list(self.path.iterdir()) if self.path.is_dir() else []

    def _rename(self, old_name: str | None, new_name: str) -> None:
        if old_name is None or old_name == new_name or (self.path / new_name).exists():
            return
        old = self.path / old_name
        old.rename(self.path / new_name)
        self.renamed.append(f"{self.display(old)} -> {new_name}")

    def _remove(self, path: Path) -> str:
        path.unlink()
        return self.display(path)

    def _remove_folder(self, folder: Path) -> None:
        left = sorted(p.name for p in folder.iterdir())
        if not left:
            folder.rmdir()
            return
        message = f"is no longer a module but holds other files ({', '.join(left)}); "
        self._error(folder, message + "move them, or sync will refuse the folder")


@dataclass(frozen=True)
class CourseUploads:
    """A course's files in the studio's media store (on disk or in a bucket), for the export."""

    store: MediaStore
    course_id: int

    def copy_if_needed(self, name: str, target: Path) -> bool | None:
        """True if copied, False if the target is already the same file, None if the store lacks it."""
        digest = self.store.digest(self.course_id, name)
        if digest is None:
            return None
        if target.is_file() and _sha256(target) == digest:
            return False
        _replace(target, lambda out: self.store.write_to(self.course_id, name, out))  # streamed
        return True


def write_atomically(path: Path, data: bytes) -> None:
    """A reader (or a sync) sees the old file or the new one, never half of one."""
    _replace(path, lambda out: out.write(data))


def _sha256(path: Path) -> str:
    with path.open("rb") as stored:
        return hashlib.file_digest(stored, "sha256").hexdigest()


def _copy_if_needed(source: Path, target: Path) -> bool:
    if not source.is_file() or (target.exists() and source.resolve() == target.resolve()):
        return False
    if target.is_file() and filecmp.cmp(source, target, shallow=False):
        return False
    with source.open("rb") as media:
        _replace(target, lambda out: shutil.copyfileobj(media, out))  # streamed: videos can be large
    return True


def _replace(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp's own 0600 is too private
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            fill(out)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_lesson_file(path: Path) -> bool:
    return path.suffix == ".md" and path.name != "module.md"


def _is_stale(path: Path, keep: set[str] | None) -> bool:
    """A lesson file the module no longer has; in a folder that is no longer a module, its module.md too.
    Other .md files (notes, say) are not course files, so they are left alone."""
    if path.name == "module.md":
        return keep is None
    return split_numbered_name(path.stem) is not None and (keep is None or path.name not in keep)


def _numbered(folder: Path, wanted: Callable[[Path], bool], name_of: Callable[[Path], str]) -> dict[str, str]:
    """slug -> the name on disk, for the NN-slug entries of `folder` (an absent folder has none)."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.iterdir()):
        numbered = split_numbered_name(name_of(path)) if wanted(path) else None
        if numbered is not None:
            found.setdefault(numbered[1], path.name)
    return found


def _choose_names(on_disk: dict[str, str], slugs: list[str], suffix: str) -> list[str]:
    """The names on disk when every slug has one and their numbers already run in `slugs` order."""
    kept = [on_disk.get(slug) for slug in slugs]
    numbers = [split_numbered_name(name.removesuffix(suffix))[0] for name in kept if name]
    if len(numbers) == len(slugs) and all(a < b for a, b in zip(numbers, numbers[1:], strict=False)):
        return [name for name in kept if name]
    width = max(2, len(str(len(slugs))))
    return [f"{number:0{width}d}-{slug}{suffix}" for number, slug in enumerate(slugs, 1)]
