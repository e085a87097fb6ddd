"""Database records -> the text of course files, in the layout and style the parser reads (DESIGN §4).

    course_md(course)  lesson_md(lesson)  module_md(module)  post_test_yaml(course.post_test) ...

The YAML is built node by node, so every file is written the same way every time: keys in the order
the parser lists them, author's text in double quotes, identifiers plain, no line wrapping, LF line
endings and a final newline. The style follows the demo courses, so an export of them reads like them.
Nothing here touches the database or the disk.
"""

from datetime import UTC, datetime
from decimal import Decimal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from courseware.content.ce import format_hours
from courseware.content.models import Course, Lesson, Module
from courseware.content.validation import format_duration

_TAG = "tag:yaml.org,2002:"
_NO_WRAP = 1 << 20  # PyYAML folds long lines at 80 columns otherwise
_DEFAULT_COMPLETION = {"post_test": None, "evaluation": False, "attestation": False}


def course_md(course: Course) -> str:
    return _front_matter(
        [
            ("title", _quoted(course.title)),
            ("slug", _plain(course.slug)),
            ("summary", _quoted(course.summary)),
            ("instructor", _quoted(course.instructor)),
            ("price", _plain(format_price(course.price_cents, course.currency))),
            ("contact_hours", _implicit(format_hours(Decimal(course.contact_hours)))),
            ("level", _plain(course.level)),
            ("category", _quoted(course.category)),
            ("objectives", _sequence([_plain(objective) for objective in course.objectives or []])),
            ("approval", _approval(course.approval)),
            ("completion", _completion(course)),
            ("community", _boolean(course.community)),
            ("status", _plain(course.status)),
            ("publish_at", _moment(course.publish_at)),
            ("sequential", _boolean(course.sequential)),
            ("certificate", _certificate(course.certificate)),
        ],
        course.description_md,
    )


def module_md(module: Module) -> str:
    return _front_matter([("title", _quoted(module.title))], module.intro_md)


def lesson_md(lesson: Lesson) -> str:
    duration = lesson.duration_seconds
    return _front_matter(
        [
            ("title", _quoted(lesson.title)),
            ("video", _plain(lesson.video_path) if lesson.video_path else None),
            ("captions", _plain(lesson.captions_path) if lesson.captions_path else None),
            ("duration", _quoted(format_duration(duration)) if duration else None),
            # As declared: a lesson without it shares the course's remaining minutes, and must go on doing so.
            ("credit_minutes", _integer(lesson.credit_minutes_declared)),
            (
                "downloads",
                _sequence([_plain(path) for path in lesson.downloads], flow=True)
                if lesson.downloads
                else None,
            ),
            ("preview", _boolean(True) if lesson.preview else None),
            ("status", _plain(lesson.status)),
            ("publish_at", _moment(lesson.publish_at)),
        ],
        lesson.body_md,
    )


def post_test_yaml(post_test: dict) -> str:
    """One question after another with a blank line between them, as an author lays them out."""
    questions = [
        _mapping(
            [
                ("prompt", _quoted(question["prompt"])),
                ("choices", _sequence([_quoted(choice) for choice in question["choices"]])),
                ("answer", _answer(question)),
                ("explanation", _quoted(question["explanation"]) if question.get("explanation") else None),
            ]
        )
        for question in post_test["questions"]
    ]
    header = "questions:\n"
    items = [_dump(_mapping([("questions", _sequence([item]))])).removeprefix(header) for item in questions]
    return header + "\n".join(items)


def evaluation_yaml(evaluation: dict) -> str:
    questions = [
        _mapping(
            [
                ("key", _plain(question["key"])),
                ("prompt", _quoted(question["prompt"])),
                ("type", _plain(question["type"])),
                (
                    "choices",
                    _sequence([_quoted(choice) for choice in question["choices"]])
                    if question.get("choices")
                    else None,
                ),
                ("required", _boolean(question.get("required", True))),
            ]
        )
        for question in evaluation["questions"]
    ]
    return _dump(_mapping([("questions", _sequence(questions))]))


def format_price(cents: int, currency: str) -> str:
    """The inverse of validation.parse_price: (2000, "USD") -> "20.00 USD", (0, "USD") -> "free"."""
    if cents == 0 and currency == "USD":
        return "free"
    return f"{cents // 100}.{cents % 100:02d} {currency}"


def normalise_markdown(text: str | None) -> str:
    """LF line endings and a final newline: a browser's textarea sends CRLF, and files end with one."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text if not text or text.endswith("\n") else text + "\n"


# Field values


def _approval(approval: dict | None) -> Node:
    aota = (approval or {}).get("aota")
    if not aota:
        return _plain("none")
    return _mapping(
        [
            (
                "aota",
                _mapping(
                    [
                        ("provider", _quoted(aota["provider"])),
                        ("number", _quoted(aota["number"])),
                    ]
                ),
            )
        ]
    )


def _completion(course: Course) -> MappingNode:
    completion = {**_DEFAULT_COMPLETION, **(course.completion or {})}
    return _mapping(
        [
            # The column, not the copy in `completion`: it is what watch time is checked against.
            ("watch_percent", _integer(course.watch_percent)),
            ("post_test", _post_test_settings(completion["post_test"])),
            ("evaluation", _boolean(completion["evaluation"])),
            ("attestation", _boolean(completion["attestation"])),
        ]
    )


def _post_test_settings(settings: dict | None) -> Node:
    if not settings:
        return _plain("none")
    return _mapping(
        [
            ("pass_percent", _integer(settings["pass_percent"])),
            ("attempts", _integer(settings["attempts"])),
        ],
        flow=True,
    )


def _certificate(overrides: dict | None) -> Node | None:
    if not overrides:
        return None
    keys = ("signer", "signer_title", "signature", "provider")  # parsing.CERTIFICATE_FIELDS
    return _mapping(
        [
            (key, _quoted(overrides[key]) if key != "signature" else _plain(overrides[key]))
            for key in keys
            if overrides.get(key)
        ]
    )


def _answer(question: dict) -> Node:
    """A list for a select-all-that-apply question (even with one right answer), else one number."""
    answer = question["answer"]
    if question.get("multiple"):
        return _sequence([_integer(choice) for choice in answer], flow=True)
    return _integer(answer[0])


def _moment(moment: datetime | None) -> Node | None:
    """UTC, as the parser stores it; a plain date when it is midnight, which is how authors write one."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return _implicit(moment.date().isoformat())
    return _implicit(moment.replace(tzinfo=None).isoformat() + "Z")


# YAML nodes and their dumping


def _front_matter(pairs: list[tuple[str, Node | None]], body: str | None) -> str:
    return f"---\n{_dump(_mapping(pairs))}---\n{normalise_markdown(body)}"


def _dump(node: Node) -> str:
    return yaml.serialize(node, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, line_break="\n")


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, and double quotes wherever quotes are needed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _mapping(pairs: list[tuple[str, Node | None]], flow: bool = False) -> MappingNode:
    """Keys in the order given; a None value leaves the key out (the parser's default applies)."""
    value = [(_plain(key), node) for key, node in pairs if node is not None]
    return MappingNode(_TAG + "map", value, flow_style=flow)


def _sequence(items: list[Node], flow: bool = False) -> SequenceNode:
    return SequenceNode(_TAG + "seq", items, flow_style=flow)


def _quoted(text: str) -> ScalarNode:
    return ScalarNode(_TAG + "str", str(text), style='"')


def _plain(text: str) -> ScalarNode:
    """Plain where YAML reads it back as the same text; the dumper quotes it otherwise (`yes`, `0000`)."""
    return ScalarNode(_TAG + "str", str(text))  # str(): a Status enum member writes as its value


def _implicit(text: str) -> ScalarNode:
    """Written bare, as the number or date it is (the parser reads the text as written)."""
    return ScalarNode(Resolver().resolve(ScalarNode, text, (True, False)), text)


def _integer(number: int | None) -> ScalarNode | None:
    return None if number is None else ScalarNode(_TAG + "int", str(number))


def _boolean(flag: bool) -> ScalarNode:
    return ScalarNode(_TAG + "bool", "true" if flag else "false")
