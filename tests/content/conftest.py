"""A small valid course written into tmp_path/courses, which each test then breaks or changes."""

from datetime import UTC, datetime
from pathlib import Path
from textwrap import dedent

import pytest

from courseware.content.services import SyncReport, sync_courses
from courseware.extensions import db

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

COURSE_MD = """\
---
title: "Own Your Role: Insights & Advocacy"
slug: own-your-role
summary: Advocacy for school-based OT practitioners.
instructor: "Jennifer Huff, OTR, MOT"
price: 20.00 USD
contact_hours: 1
level: Introductory
category: Professional Issues
objectives:
  - Describe the role of OT in the educational model.
approval: none
completion:
  watch_percent: 80
  post_test: {pass_percent: 80, attempts: 2}
  attestation: true
community: true
status: published
publish_at: 2025-01-10T09:00:00-05:00
sequential: true
---
Refer to your **state** guidelines.
"""

VTT = """\
WEBVTT

00:00.000 --> 00:04.000
Welcome to the course.

00:04.000 --> 00:09.500
You are not the expert
in the classroom.
"""

FILES = {
    "course.md": COURSE_MD,
    "01-your-role/module.md": "---\ntitle: Your Role\n---\nWhy *role* matters.\n",
    "01-your-role/01-not-the-expert.md": """\
        ---
        title: Not the Expert
        video: media/clip.mp4
        captions: media/clip.vtt
        duration: "0:30"
        credit_minutes: 21
        preview: true
        ---
        ## Key points
        """,
    "01-your-role/02-reading.md": """\
        ---
        title: A Reading
        downloads: [media/handout.pdf]
        ---
        Read this.
        """,
    "02-advocacy/module.md": "---\ntitle: Advocacy\n---\n",
    "02-advocacy/01-speak-up.md": """\
        ---
        title: Speak Up
        video: media/clip.mp4
        captions: media/clip.vtt
        duration: "1:02:03"
        ---
        Speak up.
        """,
    "02-advocacy/02-coming-soon.md": "---\ntitle: Coming Soon\nstatus: draft\n---\n",
    "post-test.yaml": """\
        questions:
          - prompt: Who is the expert in the classroom?
            choices: [The OT, The teacher]
            answer: 1
            explanation: The *teacher* knows the room.
          - prompt: Which are educational-model questions?
            choices: [Access, Participation, Diagnosis]
            answer: [1, 0]
        """,
    "evaluation.yaml": """\
        questions:
          - key: relevance
            prompt: The content was relevant to my practice.
            type: rating
          - key: format
            prompt: Which format did you prefer?
            type: choice
            choices: [Video, Reading]
            required: false
        """,
    "media/clip.vtt": VTT,
}


class CourseTree:
    """Writes course files under `root` (tmp_path/courses); paths are relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(dedent(text))
        return path

    def replace(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new))

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink()

    def valid_course(self, slug: str = "own-your-role") -> Path:
        for relative, text in FILES.items():
            self.write(f"{slug}/{relative}", text.replace("slug: own-your-role", f"slug: {slug}"))
        # Fake media: only `courses check` reads real durations, and these tests skip it.
        self.write(f"{slug}/media/clip.mp4", b"\x00\x00\x00\x18ftypmp42 not really a video")
        self.write(f"{slug}/media/handout.pdf", b"%PDF-1.4 a handout")
        return self.root / slug


@pytest.fixture
def tree(tmp_path) -> CourseTree:
    """The folder the `app` fixture's COURSES_DIR points at; parsing tests need no app."""
    return CourseTree(tmp_path / "courses")


@pytest.fixture
def sync(app, tree):
    """sync(now=NOW) -> SyncReport, committed like the CLI does."""

    def _sync(now: datetime = NOW) -> SyncReport:
        with app.app_context():
            report = sync_courses(tree.root, now)
            db.session.commit()
            return report

    return _sync
