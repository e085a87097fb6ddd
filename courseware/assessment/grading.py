"""The post-test on paper: shuffling a sitting, reading the answer sheet, grading. Pure functions.

A paper is the list stored on `PostTestAttempt.paper`, questions in the order shown:
    {"question": i, "prompt", "prompt_html"?, "choices": [[choice_index, text], ...] (shown order),
     "multiple", "answer": [choice_index, ...], "explanation", "explanation_html"?}

The form names questions by their shown position (q1, q2, ...) and choices by their shown position
(1, 2, ...), never by the indices in post-test.yaml: authors often list the right answer first, and
the original numbers in the HTML would give that away.
"""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

# Fields every post-test form sends besides the answers.
FORM_FIELDS = frozenset({"csrf_token"})
_PAPER_FIELDS = ("prompt", "prompt_html", "multiple", "answer", "explanation", "explanation_html")


class ForgedAnswer(ValueError):
    """The answer sheet names a question or choice the paper does not have: no form sends that."""


@dataclass(frozen=True)
class AnswerSheet:
    answers: dict[str, list[int]]  # {"<question index>": [choice index, ...]}, as stored on the attempt
    unanswered: list[int]  # question indices left blank


@dataclass(frozen=True)
class Grade:
    correct_count: int
    total: int
    score_percent: Decimal
    passed: bool


def make_paper(questions: list[dict], seed: int) -> list[dict]:
    """The course's questions for one sitting: questions and each question's choices shuffled by `seed`."""
    rng = random.Random(seed)
    order = list(range(len(questions)))
    rng.shuffle(order)
    paper = []
    for index in order:
        question = questions[index]
        choices = [[choice_index, text] for choice_index, text in enumerate(question["choices"])]
        rng.shuffle(choices)
        fields = {name: question.get(name) for name in _PAPER_FIELDS if name in question}
        paper.append({"question": index, "choices": choices, **fields})
    return paper


def read_answers(paper: list[dict], form: Mapping[str, list[str]]) -> AnswerSheet:
    """The answers in a submitted form ({field name: [values]}); ForgedAnswer if no real form sent it."""
    by_field = {f"q{position}": (position, question) for position, question in enumerate(paper, 1)}
    answers: dict[str, list[int]] = {}
    for name, values in form.items():
        if name in FORM_FIELDS:
            continue
        if name not in by_field:
            raise ForgedAnswer(f"The answers name a question that is not in this attempt: “{name[:40]}”.")
        position, question = by_field[name]
        answers[str(question["question"])] = _choice_indices(position, question, values)
    unanswered = [question["question"] for question in paper if not answers.get(str(question["question"]))]
    return AnswerSheet(answers, unanswered)


def grade(paper: list[dict], answers: dict[str, list[int]], pass_percent: int) -> Grade:
    """A question counts only if exactly its key was chosen; the pass mark itself passes."""
    if not paper:
        raise ValueError("a post-test paper needs at least one question")
    correct = sum(is_correct(question, answers) for question in paper)
    total = len(paper)
    # Compared in whole numbers: a rounded percentage must never turn a pass into a fail.
    passed = correct * 100 >= pass_percent * total
    score = (Decimal(correct * 100) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return Grade(correct, total, score, passed)


def is_correct(question: dict, answers: dict[str, list[int]]) -> bool:
    return set(chosen(question, answers)) == set(question["answer"])


def chosen(question: dict, answers: dict[str, list[int]] | None) -> list[int]:
    """The choice indices the learner picked for this paper question."""
    return (answers or {}).get(str(question["question"]), [])


def _choice_indices(position: int, question: dict, values: list[str]) -> list[int]:
    choices = question["choices"]
    if len(values) > 1 and not question["multiple"]:
        raise ForgedAnswer(f"Question {position} takes one answer, but {len(values)} were sent.")
    indices = set()
    for value in values:
        shown = int(value) if value.isascii() and value.isdigit() and len(value) < 4 else 0
        if not 1 <= shown <= len(choices):
            raise ForgedAnswer(f"Question {position} has no choice “{value[:20]}”.")
        indices.add(choices[shown - 1][0])
    return sorted(indices)
