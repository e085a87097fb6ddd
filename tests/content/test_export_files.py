"""What `flask courses export` writes: the parser's keys, an author's layout, text that reads back."""

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from courseware.content.models import Course, Lesson, Module
from courseware.content.parsing import parse_courses
from courseware.extensions import db

COURSE = "own-your-role"
AWKWARD = [
    'Say "yes": OT #1, naïve café',
    "yes",
    "0000",
    "null",
    "key: value # not a comment",
    "[brackets], {braces} & *stars*",
    "'single' and \"double\" quotes",
    "- a dash first",
    "@ an at sign, ` a backtick",
    "tab\tinside, trailing backslash \\",
    "a long line " * 30,
]


def _export(app, *args: str):
    result = app.test_cli_runner().invoke(args=["courses", "export", *args])
    assert result.exit_code == 0, result.output
    return result


def _rows() -> tuple[Course, dict[str, Module], dict[str, Lesson]]:
    course = db.session.scalars(sa.select(Course)).one()
    modules = {row.slug: row for row in db.session.scalars(sa.select(Module))}
    return course, modules, {row.slug: row for row in db.session.scalars(sa.select(Lesson))}


def test_awkward_text_reads_back_exactly_as_the_studio_saved_it(app, tree, sync, tmp_path):
    tree.valid_course()
    sync()
    with app.app_context():
        course, modules, lessons = _rows()
        course.title, course.summary, course.instructor, course.category = AWKWARD[:4]
        course.objectives = AWKWARD
        course.description_md = ""
        modules["your-role"].title = "---"
        lessons["reading"].title = "..."
        lessons["reading"].body_md = "---\nnot: front matter\n---\n\n# A heading\n"
        course.post_test = {
            "questions": [
                {
                    "prompt": text,
                    "choices": ["#1", "yes: no"],
                    "answer": [0],
                    "multiple": False,
                    "explanation": text,
                }
                for text in AWKWARD
            ]
        }
        db.session.commit()
    _export(app, "--directory", str(tmp_path / "a"))
    parsed = parse_courses(tmp_path / "a")
    assert parsed.errors == []
    [course] = parsed.courses
    assert [course.title, course.summary, course.instructor, course.category] == AWKWARD[:4]
    assert course.objectives == [text.strip() for text in AWKWARD]
    assert course.description == ""
    assert course.modules[0].title == "---"
    assert (course.lessons[1].title, course.lessons[1].body) == (
        "...",
        "---\nnot: front matter\n---\n\n# A heading\n",
    )
    assert [q["prompt"] for q in course.post_test["questions"]] == [text.strip() for text in AWKWARD]
    assert {tuple(q["choices"]) for q in course.post_test["questions"]} == {("#1", "yes: no")}
    # Nothing wraps, and quotes only where plain text would read back differently.
    text = (tmp_path / "a" / COURSE / "course.md").read_text()
    assert f'  - "{"a long line " * 30}"\n' in text
    assert "  - key: value # not a comment\n" not in text and '  - "0000"\n' in text


def test_course_md_is_written_as_an_author_writes_it(app, tree, sync, tmp_path):
    tree.write(f"{COURSE}/media/signature.png", b"\x89PNG\r\n\x1a\n")
    tree.valid_course()
    sync()
    with app.app_context():
        course, _modules, _lessons = _rows()
        course.price_cents, course.currency, course.contact_hours = 1999, "EUR", Decimal("1.00")
        course.approval = {"aota": {"provider": "Jennifer Huff, LLC", "number": "0042"}}
        course.completion = {**course.completion, "post_test": None}
        course.publish_at = datetime(2025, 9, 1, tzinfo=UTC)
        course.certificate = {"signer": "Jennifer Huff", "signature": "media/signature.png"}
        course.description_md = "Refer to your **state** guidelines."
        db.session.commit()
    _export(app, "--directory", str(tmp_path / "a"))
    assert (tmp_path / "a" / COURSE / "course.md").read_text() == (
        "---\n"
        'title: "Own Your Role: Insights & Advocacy"\n'
        "slug: own-your-role\n"
        'summary: "Advocacy for school-based OT practitioners."\n'
        'instructor: "Jennifer Huff, OTR, MOT"\n'
        "price: 19.99 EUR\n"
        "contact_hours: 1\n"
        "level: Introductory\n"
        'category: "Professional Issues"\n'
        "objectives:\n"
        "  - Describe the role of OT in the educational model.\n"
        "approval:\n"
        "  aota:\n"
        '    provider: "Jennifer Huff, LLC"\n'
        '    number: "0042"\n'
        "completion:\n"
        "  watch_percent: 80\n"
        "  post_test: none\n"
        "  evaluation: false\n"
        "  attestation: true\n"
        "community: true\n"
        "status: published\n"
        "publish_at: 2025-09-01\n"
        "sequential: true\n"
        "certificate:\n"
        '  signer: "Jennifer Huff"\n'
        "  signature: media/signature.png\n"
        "---\n"
        "Refer to your **state** guidelines.\n"
    )
    assert (tmp_path / "a" / COURSE / "media/signature.png").read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_lessons_and_questions_are_written_with_the_parsers_keys(app, tree, sync, tmp_path):
    tree.valid_course()
    sync()
    with app.app_context():
        _course, _modules, lessons = _rows()
        lessons["not-the-expert"].publish_at = datetime(2025, 1, 10, 14, 30, tzinfo=UTC)
        db.session.commit()
    _export(app, "--directory", str(tmp_path / "a"))
    folder = tmp_path / "a" / COURSE
    assert (folder / "01-your-role/01-not-the-expert.md").read_text() == (
        "---\n"
        'title: "Not the Expert"\n'
        "video: media/clip.mp4\n"
        "captions: media/clip.vtt\n"
        'duration: "0:30"\n'
        "credit_minutes: 21\n"
        "preview: true\n"
        "status: published\n"
        "publish_at: 2025-01-10T14:30:00Z\n"
        "---\n"
        "## Key points\n"
    )
    assert (folder / "01-your-role/02-reading.md").read_text() == (
        '---\ntitle: "A Reading"\ndownloads: [media/handout.pdf]\nstatus: published\n---\nRead this.\n'
    )
    assert (folder / "02-advocacy/module.md").read_text() == '---\ntitle: "Advocacy"\n---\n'
    assert (folder / "post-test.yaml").read_text() == (
        "questions:\n"
        '  - prompt: "Who is the expert in the classroom?"\n'
        "    choices:\n"
        '      - "The OT"\n'
        '      - "The teacher"\n'
        "    answer: 1\n"
        '    explanation: "The *teacher* knows the room."\n'
        "\n"
        '  - prompt: "Which are educational-model questions?"\n'
        "    choices:\n"
        '      - "Access"\n'
        '      - "Participation"\n'
        '      - "Diagnosis"\n'
        "    answer: [0, 1]\n"
    )
    assert (folder / "evaluation.yaml").read_text() == (
        "questions:\n"
        "  - key: relevance\n"
        '    prompt: "The content was relevant to my practice."\n'
        "    type: rating\n"
        "    required: true\n"
        "  - key: format\n"
        '    prompt: "Which format did you prefer?"\n'
        "    type: choice\n"
        "    choices:\n"
        '      - "Video"\n'
        '      - "Reading"\n'
        "    required: false\n"
    )
