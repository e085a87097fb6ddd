"""The course files as plain data: what parsing produces and syncing writes. No database here."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from courseware.content.yamldoc import ContentError


@dataclass
class LessonFile:
    slug: str
    source: str  # the path errors name, e.g. courses/own-your-role/01-your-role/01-not-the-expert.md
    title: str = ""
    video: str | None = None  # relative to the course folder, as written
    captions: str | None = None
    duration_seconds: int | None = None
    credit_minutes: int | None = None  # as written; None = share the remainder
    downloads: list[str] = field(default_factory=list)
    preview: bool = False
    status: str = "published"
    publish_at: datetime | None = None
    body: str = ""  # markdown
    transcript: list = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # field -> line, for later checks (durations)
    credit: int = 0  # the credit minutes this lesson carries once the course's hours are shared out
    problems: set[str | None] = field(default_factory=set)  # fields of this file that had errors

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def media_paths(self) -> list[str]:
        return [path for path in (self.video, self.captions, *self.downloads) if path]


@dataclass
class ModuleFile:
    slug: str
    source: str
    title: str = ""
    intro: str = ""  # markdown
    lessons: list[LessonFile] = field(default_factory=list)


@dataclass
class CourseFile:
    slug: str
    path: Path  # the course folder
    source: str  # course.md as errors name it
    title: str = ""
    summary: str = ""
    instructor: str = ""
    price_cents: int = 0
    currency: str = "USD"
    contact_hours: Decimal | None = None
    level: str = ""
    category: str = ""
    objectives: list[str] = field(default_factory=list)
    approval: dict | None = None
    certificate: dict = field(default_factory=dict)
    watch_percent: int = 90
    completion: dict = field(default_factory=dict)
    community: bool = False
    status: str = "draft"
    publish_at: datetime | None = None
    sequential: bool = False
    description: str = ""  # markdown of the landing page
    post_test: dict | None = None
    evaluation: dict | None = None
    modules: list[ModuleFile] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def lessons(self) -> list[LessonFile]:
        """Every lesson in course order: module order, then lesson order."""
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def credit_minutes(self) -> int:
        return int(self.contact_hours * 60) if self.contact_hours is not None else 0


@dataclass
class ParsedTree:
    courses: list[CourseFile]
    errors: list[ContentError]
    warnings: list[str] = field(default_factory=list)
