"""Parsing a valid course, and one broken field at a time: each error names file, line and field."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from courseware.content.parsing import parse_courses

COURSE = "courses/own-your-role"
CM = "own-your-role/course.md"
L1 = "own-your-role/01-your-role/01-not-the-expert.md"
L2 = "own-your-role/01-your-role/02-reading.md"
PT = "own-your-role/post-test.yaml"
SPEAK_UP = "02-advocacy/01-speak-up.md"
EV = "own-your-role/evaluation.yaml"


def _errors(tree) -> list[str]:
    return [str(error) for error in parse_courses(tree.root).errors]


def test_a_valid_course_becomes_plain_data(tree):
    tree.valid_course()
    parsed = parse_courses(tree.root)
    assert parsed.errors == []
    (course,) = parsed.courses
    assert (course.slug, course.price_cents, course.currency) == ("own-your-role", 2000, "USD")
    assert course.contact_hours == Decimal("1") and course.credit_minutes == 60
    assert course.title == "Own Your Role: Insights & Advocacy"
    assert course.publish_at == datetime(2025, 1, 10, 14, 0, tzinfo=UTC)
    assert course.approval is None and course.watch_percent == 80
    assert course.completion == {
        "watch_percent": 80, "post_test": {"pass_percent": 80, "attempts": 2},
        "evaluation": False, "attestation": True,
    }
    assert [m.slug for m in course.modules] == ["your-role", "advocacy"]
    slugs = [lesson.slug for lesson in course.lessons]
    assert slugs == ["not-the-expert", "reading", "speak-up", "coming-soon"]


def test_lessons_read_video_captions_and_downloads(tree):
    tree.valid_course()
    first, reading, speak_up, draft = parse_courses(tree.root).courses[0].lessons
    assert (first.video, first.captions, first.duration_seconds, first.preview) == (
        "media/clip.mp4", "media/clip.vtt", 30, True)
    assert first.transcript == [
        [0.0, 4.0, "Welcome to the course."],
        [4.0, 9.5, "You are not the expert in the classroom."],
    ]
    assert speak_up.duration_seconds == 3723  # h:mm:ss
    assert reading.downloads == ["media/handout.pdf"] and reading.video is None
    assert draft.status == "draft"


def test_lessons_without_credit_minutes_share_the_rest_earliest_first(tree):
    tree.valid_course()
    lessons = parse_courses(tree.root).courses[0].lessons
    # 60 minutes; "not-the-expert" gives 21, the other two published lessons share 39; drafts carry none.
    assert [lesson.credit for lesson in lessons] == [21, 20, 19, 0]


def test_post_test_and_evaluation_are_normalised(tree):
    tree.valid_course()
    course = parse_courses(tree.root).courses[0]
    first, second = course.post_test["questions"]
    assert first == {
        "prompt": "Who is the expert in the classroom?", "choices": ["The OT", "The teacher"],
        "answer": [1], "multiple": False, "explanation": "The *teacher* knows the room.",
    }
    assert (second["answer"], second["multiple"], second["explanation"]) == ([0, 1], True, None)
    assert course.evaluation["questions"] == [
        {"key": "relevance", "prompt": "The content was relevant to my practice.", "type": "rating",
         "choices": [], "required": True},
        {"key": "format", "prompt": "Which format did you prefer?", "type": "choice",
         "choices": ["Video", "Reading"], "required": False},
    ]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("price: 20.00 USD", "price: free", (0, "USD")),
    ("price: 20.00 USD", "price: 179 EUR", (17900, "EUR")),
])
def test_prices(tree, old, new, expected):
    tree.valid_course()
    tree.replace("own-your-role/course.md", old, new)
    course = parse_courses(tree.root).courses[0]
    assert (course.price_cents, course.currency) == expected


def test_values_are_read_as_written_not_as_yaml_1_1_would_guess(tree):
    tree.valid_course()
    tree.replace(CM, "approval: none", "approval:\n  aota: {provider: Huff LLC, number: 0042}")
    tree.replace(L1, 'duration: "0:30"', "duration: 1:30")  # YAML 1.1 reads 1:30 as the integer 90
    tree.replace(PT, "[The OT, The teacher]", "[Yes, No]")  # and these as booleans
    course = parse_courses(tree.root).courses[0]
    assert course.approval == {"aota": {"provider": "Huff LLC", "number": "0042"}}
    assert course.lessons[0].duration_seconds == 90
    assert course.post_test["questions"][0]["choices"] == ["Yes", "No"]


def test_a_date_without_time_or_offset_is_midnight_utc(tree):
    tree.valid_course()
    tree.replace("own-your-role/course.md", "2025-01-10T09:00:00-05:00", "2025-01-10")
    assert parse_courses(tree.root).courses[0].publish_at == datetime(2025, 1, 10, tzinfo=UTC)


ONE_ERROR = [  # (file, text, replaced by, the one error expected, relative to the course folder)
    (CM, "level: Introductory", "level: Beginner",
     'course.md:8: level: "Beginner" is not one of: Introductory, Intermediate, Advanced'),
    (CM, "contact_hours: 1", "contact_hours: 1.005",
     'course.md:7: contact_hours: "1.005" has more than 2 decimals'),
    (CM, "contact_hours: 1", "contact_hours: 101",
     'course.md:7: contact_hours: "101" must be more than 0 and at most 100'),
    (CM, "contact_hours: 1", "contact_hours: 1.01",
     'course.md:7: contact_hours: "1.01" hours is not a whole number of minutes (60.60)'),
    (CM, "slug: own-your-role", "slug: own-the-role",
     'course.md:3: slug: "own-the-role" does not match the folder name "own-your-role"'),
    (CM, "approval: none", "approval:\n  aota: {provider: Huff LLC}",
     "course.md:13: approval.aota.number: is required"),
    (CM, "approval: none", "approval: AOTA",
     "course.md:12: approval: must be a mapping of `field: value` lines"),
    (CM, "watch_percent: 80", "watch_percent: 0",
     'course.md:14: completion.watch_percent: "0" must be a whole number, from 1 to 100'),
    (CM, "attempts: 2", "attempts: 2, attempt: 3",
     'course.md:15: completion.post_test.attempt: unknown field (did you mean "attempts"?)'),
    (CM, "publish_at: 2025-01-10T09:00:00-05:00", "publish_at: next week",
     'course.md:19: publish_at: "next week" is not an ISO date or date-time like 2025-09-01 or '
     "2025-09-01T09:00:00-05:00"),
    (CM, "community: true", "community: maybe",
     "course.md:17: community: must be true or false"),
    (CM, "status: published", "status: live",
     'course.md:18: status: "live" is not one of: draft, published'),
    (CM, "objectives:\n  - Describe the role of OT in the educational model.", "objectives: []",
     "course.md:10: objectives: needs at least 1 item"),
    (CM, "summary: Advocacy", "title: Again\nsummary: Advocacy",
     "course.md:4: title: appears twice (first on line 2)"),
    (CM, "community: true", "community: true\ncomunity: false",
     'course.md:18: comunity: unknown field (did you mean "community"?)'),
    (L1, "title: Not the Expert", "title:",
     "01-your-role/01-not-the-expert.md:2: title: must not be empty"),
    (L1, "media/clip.mp4", "media/clip.mov",
     '01-your-role/01-not-the-expert.md:3: video: "media/clip.mov" must be a .mp4 or .webm file'),
    (L1, "media/clip.mp4", "../elsewhere.mp4",
     '01-your-role/01-not-the-expert.md:3: video: "../elsewhere.mp4" must be a path inside the course '
     "folder, like media/intro.mp4"),
    (L1, 'duration: "0:30"\n', "",
     "01-your-role/01-not-the-expert.md:1: duration: is required with a video (m:ss or h:mm:ss)"),
    (L1, 'duration: "0:30"', 'duration: "0:00"',
     '01-your-role/01-not-the-expert.md:5: duration: "0:00" must be longer than 0:00'),
    (L1, "credit_minutes: 21", "credit_minutes: -1",
     '01-your-role/01-not-the-expert.md:6: credit_minutes: "-1" must be a whole number, 0 or more'),
    (L1, "credit_minutes: 21", "credit_minutes: 70",
     "course.md:7: contact_hours: lessons with credit_minutes already give 70, but contact_hours 1 needs 60"),
    (L1, "preview: true", "preview: yes please",
     "01-your-role/01-not-the-expert.md:7: preview: must be true or false"),
    (L2, "title: A Reading", "title: A Reading\ncaptions: media/clip.vtt",
     "01-your-role/02-reading.md:3: captions: is only allowed with a video"),
    (L2, "title: A Reading", 'title: A Reading\nduration: "1:00"',
     "01-your-role/02-reading.md:3: duration: is only allowed with a video"),
    (L2, "media/handout.pdf", "media/gone.pdf",
     '01-your-role/02-reading.md:3: downloads[0]: "media/gone.pdf" does not exist'),
    (L2, "---\nRead this.", "Read this.",
     "01-your-role/02-reading.md:1: front matter is not closed by a --- line"),
    (PT, "answer: [1, 0]", "answer: [1, 1]",
     "post-test.yaml:8: questions[1].answer: lists the same choice twice"),
    (PT, "answer: 1", "answer: first",
     "post-test.yaml:4: questions[0].answer: must be a choice number (counting from 0) or a list of them"),
    (PT, "[The OT, The teacher]", "[The teacher]",
     "post-test.yaml:3: questions[0].choices: needs at least 2 items"),
    (PT, "answer: [1, 0]", "answer: [1, 0]\n    explaination: typo",
     'post-test.yaml:9: questions[1].explaination: unknown field (did you mean "explanation"?)'),
    (EV, "key: format", "key: relevance",
     'evaluation.yaml:5: questions[1].key: "relevance" is already used by questions[0]'),
    (EV, "key: format", "key: Format!",
     'evaluation.yaml:5: questions[1].key: "Format!" must be lowercase letters, digits and underscores'),
    (EV, "type: rating", "type: stars",
     'evaluation.yaml:4: questions[0].type: "stars" is not one of: rating, text, choice, number, objectives'),
    (EV, "type: rating", "type: rating\n    choices: [a, b]",
     'evaluation.yaml:5: questions[0].choices: is only for questions of type "choice"'),
]


@pytest.mark.parametrize(("path", "old", "new", "expected"), ONE_ERROR, ids=[case[3] for case in ONE_ERROR])
def test_one_broken_field_gives_one_error(tree, path, old, new, expected):
    tree.valid_course()
    tree.replace(path, old, new)
    assert _errors(tree) == [f"{COURSE}/{expected}"]


def test_a_post_test_in_completion_needs_post_test_yaml(tree):
    tree.valid_course()
    tree.remove("own-your-role/post-test.yaml")
    assert _errors(tree) == [
        f"{COURSE}/course.md:15: completion.post_test: is set, but post-test.yaml is missing"]


def test_a_published_course_needs_a_published_lesson(tree):
    tree.valid_course()
    for lesson in (L1, L2, f"own-your-role/{SPEAK_UP}"):
        tree.replace(lesson, "---\ntitle:", "---\nstatus: draft\ntitle:")
    assert _errors(tree) == [
        f"{COURSE}/course.md:18: status: a published course needs at least one published lesson"]


def test_folder_and_file_names_are_checked(tree):
    tree.valid_course()
    tree.write("own-your-role/01-your-role/Intro.md", "---\ntitle: Intro\n---\n")
    tree.write("own-your-role/3-Extra/module.md", "---\ntitle: Extra\n---\n")
    tree.remove("own-your-role/02-advocacy/module.md")
    assert _errors(tree) == [
        f"{COURSE}/01-your-role/Intro.md: lesson file names must look like 01-lesson-slug.md",
        f"{COURSE}/02-advocacy/module.md: is missing (every module folder needs one, with a title)",
        f"{COURSE}/3-Extra: module folder names must look like 01-module-slug",
    ]


def test_a_folder_without_course_md_is_an_error(tree):
    tree.valid_course()
    tree.write("stray/notes.txt", "not a course")
    assert _errors(tree) == ["courses/stray/course.md: is missing (every course folder needs one)"]


def test_a_missing_courses_folder_is_an_error(tmp_path):
    errors = parse_courses(tmp_path / "nowhere").errors
    assert [e.message for e in errors] == ["the courses folder does not exist"]
