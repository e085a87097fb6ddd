"""A tree with many kinds of error at once: every one is reported, in one pass, with file, line and field."""

from courseware.content.parsing import parse_courses

BROKEN_COURSE_MD = """\
---
slug: Broken_Course
summary: A broken course.
instructor: Jennifer Huff
price: twenty dollars
contact_hours: 1
level: Introductory
category: Professional Issues
objectives: [Explain things]
sumary: typo
certificate: {signature: ../../outside.png}
---
"""
BAD_VTT = """\
WEBVTT

00:00.000 --> 00:04.000
Hello.

00:04.000 -> 00:08.000
Broken arrow.
"""
# Valid except that its lessons' credit does not add up to its contact hours.
SHORT_CREDIT_COURSE_MD = """\
---
title: Short Credit
slug: short-credit
summary: Credit minutes that do not add up.
instructor: Jennifer Huff
price: free
contact_hours: 1
level: Advanced
category: Professional Issues
objectives: [Add up credit]
---
"""

BROKEN_TREE = {
    "broken/course.md": BROKEN_COURSE_MD,
    "broken/01-basics/module.md": "---\ntitle: Basics\n---\n",
    "broken/01-basics/01-intro.md": '---\ntitle: Intro\nvideo: media/intro.mp4\nduration: "4:61"\n---\n',
    "broken/01-basics/02-missing-video.md": (
        '---\ntitle: Missing video\nvideo: media/nope.mp4\ncaptions: media/bad.vtt\nduration: "1:00"\n---\n'
    ),
    "broken/02-more/module.md": "---\ntitle: More\n---\n",
    "broken/02-more/01-intro.md": "---\ntitle: Intro again\ncredit_minutes: 5\n---\n",
    "broken/02-more/02-bad-yaml.md": "---\ntitle: Bad yaml\ncredit_minutes: [5\n---\n",
    "broken/02-more/03-no-front-matter.md": "# Just a heading\n",
    "broken/02-more/04-certificate.md": "---\ntitle: Clashes with the certificate page\n---\n",
    "broken/post-test.yaml": (
        "questions:\n  - prompt: Which setting?\n    choices: [Classroom, Clinic]\n    answer: 2\n"
    ),
    "broken/media/intro.mp4": b"not a video",
    "broken/media/bad.vtt": BAD_VTT,
    "short-credit/course.md": SHORT_CREDIT_COURSE_MD,
    "short-credit/01-only/module.md": "---\ntitle: Only\n---\n",
    "short-credit/01-only/01-first.md": "---\ntitle: First\ncredit_minutes: 20\n---\n",
    "short-credit/01-only/02-second.md": "---\ntitle: Second\ncredit_minutes: 30\n---\n",
}

EXPECTED = [  # sorted by file, then line
    "courses/broken/01-basics/01-intro.md:1: captions: is required with a video, "
    "so that the lesson is accessible",
    'courses/broken/01-basics/01-intro.md:4: duration: "4:61" is not m:ss or h:mm:ss',
    'courses/broken/01-basics/02-missing-video.md:3: video: "media/nope.mp4" does not exist',
    'courses/broken/02-more/01-intro.md:1: slug: "intro" is already used by '
    "courses/broken/01-basics/01-intro.md",
    "courses/broken/02-more/02-bad-yaml.md:4: invalid YAML: expected ',' or ']', but got '<stream end>'",
    "courses/broken/02-more/03-no-front-matter.md:1: missing front matter "
    "(the file must start with a --- line)",
    'courses/broken/02-more/04-certificate.md: "certificate" is taken by a course page '
    "(/learn/<course>/certificate): rename the file",
    "courses/broken/course.md:1: title: is required",
    'courses/broken/course.md:2: slug: "Broken_Course" must be lowercase letters, digits and single hyphens',
    'courses/broken/course.md:5: price: "twenty dollars" is not a price like "20.00 USD", or "free"',
    'courses/broken/course.md:10: sumary: unknown field (did you mean "summary"?)',
    'courses/broken/course.md:11: certificate.signature: "../../outside.png" must be a PNG or JPEG file '
    "inside the course folder",
    "courses/broken/media/bad.vtt:6: invalid WebVTT: expected a cue timing line like "
    '"00:01.000 --> 00:04.000", got "00:04.000 -> 00:08.000"',
    "courses/broken/post-test.yaml:4: questions[0].answer: 2 is out of range: "
    "the choices are numbered 0 to 1",
    "courses/short-credit/course.md:7: contact_hours: lessons give 50 credit minutes in all, "
    "but contact_hours 1 needs 60",
]


def test_every_error_in_the_tree_is_reported_once_with_file_line_and_field(tree):
    for path, content in BROKEN_TREE.items():
        tree.write(path, content)
    errors = parse_courses(tree.root).errors
    assert [str(error) for error in errors] == EXPECTED


def test_errors_carry_their_parts(tree):
    for path, content in BROKEN_TREE.items():
        tree.write(path, content)
    duration = next(e for e in parse_courses(tree.root).errors if e.field == "duration")
    assert (duration.path, duration.line, duration.field, duration.message) == (
        "courses/broken/01-basics/01-intro.md", 4, "duration", '"4:61" is not m:ss or h:mm:ss')
