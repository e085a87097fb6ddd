"""The course evaluation as asked: the questions (the course's own or the default) and the answers.

Pure functions: the questions come from data (evaluation.yaml, or DEFAULT_EVALUATION when a course
has none), so the form is read here rather than declared as a WTForms class.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from courseware.forms import strip_control_characters

RATING_LABELS = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
TEXT_LIMIT = 2000
NUMBER_MAXIMUM = 1000  # the ceiling of a `number` question in evaluation.yaml

# AOTA-style: each objective met, relevance, the instructor, the level, the time it took, comments.
DEFAULT_EVALUATION: list[dict] = [
    {"key": "objective", "type": "objectives", "prompt": "The course met this objective", "required": True},
    {"key": "relevance", "type": "rating", "prompt": "The content was relevant to my practice.",
     "required": True},
    {"key": "instructor", "type": "rating",
     "prompt": "The instructor was effective in presenting the content.", "required": True},
    {"key": "level", "type": "rating",
     "prompt": "The content and its level were appropriate for the course as described.", "required": True},
    {"key": "hours", "type": "number", "prompt": "How many hours did it take you to complete this course?",
     "required": True, "maximum": 100, "hint": "In hours: decimals are fine, for example 1.5."},
    {"key": "comments", "type": "text", "prompt": "Comments and suggestions for the instructor",
     "required": False},
]


@dataclass
class EvaluationSheet:
    """What the learner sent: answers by key, errors by key, and the raw values to fill the form again."""

    answers: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


def questions_as_asked(evaluation: dict | None, objectives: list[str]) -> list[dict]:
    """The questions the page shows and the response stores: `objectives` expanded, one per objective."""
    source = evaluation["questions"] if evaluation else DEFAULT_EVALUATION
    asked: list[dict] = []
    for question in source:
        if question["type"] == "objectives":
            asked.extend(_objective_ratings(question, objectives))
        else:
            asked.append({"choices": [], **question})
    return asked


def read_evaluation_answers(questions: list[dict], form: Mapping[str, str]) -> EvaluationSheet:
    sheet = EvaluationSheet()
    for question in questions:
        key = question["key"]
        raw = strip_control_characters(form.get(key, "")).strip()
        sheet.values[key] = raw
        if not raw:
            if question.get("required", True):
                sheet.errors[key] = _MISSING[question["type"]]
            continue
        try:
            sheet.answers[key] = _READERS[question["type"]](question, raw)
        except ValueError as error:
            sheet.errors[key] = str(error)
    return sheet


def answer_text(question: dict, answer) -> str:
    """An answer as a person reads it (the audit evidence and the thank-you page)."""
    if answer is None:
        return "Not answered"
    if question["type"] == "rating":
        return f"{answer}: {RATING_LABELS[answer - 1]}"
    return str(answer)


def number_maximum(question: dict) -> int:
    return question.get("maximum", NUMBER_MAXIMUM)


def _objective_ratings(question: dict, objectives: list[str]) -> list[dict]:
    lead = question["prompt"].strip().rstrip(":")
    return [
        {"key": f"{question['key']}_{number}", "type": "rating", "prompt": f"{lead}: {objective}",
         "choices": [], "required": question.get("required", True), "objective": objective}
        for number, objective in enumerate(objectives, 1)
    ]


def _rating(question: dict, raw: str) -> int:
    if raw not in ("1", "2", "3", "4", "5"):
        raise ValueError("Choose one of the five ratings, from Strongly disagree to Strongly agree.")
    return int(raw)


def _choice(question: dict, raw: str) -> str:
    choices = question["choices"]
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else 0
    if not 1 <= number <= len(choices):
        raise ValueError("Choose one of the answers listed.")
    return choices[number - 1]


def _number(question: dict, raw: str) -> str:
    maximum = number_maximum(question)
    message = f"Enter a number from 0 to {maximum}, for example 1.5."
    try:
        value = Decimal(raw) if len(raw) <= 12 else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= maximum:
        raise ValueError(message)
    if value.as_tuple().exponent < -2:
        raise ValueError("Use at most two decimals, for example 1.25.")
    # Stored as text: the number exactly as a decimal, without float rounding ("1.50" -> "1.5").
    return format(value.normalize(), "f")


def _text(question: dict, raw: str) -> str:
    if len(raw) > TEXT_LIMIT:
        raise ValueError(f"Please keep this to {TEXT_LIMIT:,} characters or fewer: it has {len(raw):,}.")
    return raw


_READERS = {"rating": _rating, "choice": _choice, "number": _number, "text": _text}
_MISSING = {
    "rating": "Choose a rating for this statement.",
    "choice": "Choose one of the answers.",
    "number": "Enter a number.",
    "text": "Please write an answer.",
}
