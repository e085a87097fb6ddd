"""What learners answered: post-test item analysis and the course evaluation.

Submitting an attempt stores one `post_test_answers` row per question of its paper: the question's
index in post-test.yaml and its prompt (questions are told apart by those, never by their shuffled
position), whether exactly the key was chosen, and the texts of the wrong choices picked. The
database groups those rows: one per question, verdict and wrong answer given, with how many gave
it, so Python only adds up those few rows, never attempts.

The evaluation's rating averages and comments are plain SQL: one average per rating question,
read from the answers' JSON by key.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from courseware.assessment.evaluation import questions_as_asked
from courseware.assessment.models import EvaluationResponse, PostTestAnswer
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.studio.analytics_period import Period
from courseware.studio.analytics_sql import json_text, object_entries

LATEST_COMMENTS = 20


@dataclass
class ItemRow:
    """One post-test question across the submitted attempts that showed it."""

    question: int  # its index in post-test.yaml: stable, unlike the shuffled position
    prompt: str
    answered: int = 0
    correct: int = 0
    wrong_choices: Counter = field(default_factory=Counter)  # choice text -> learners who chose it wrongly

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0

    @property
    def top_wrong(self) -> tuple[str, int] | None:
        """The wrong choice picked most often (of equals, the first by its text), or None."""
        return min(self.wrong_choices.items(), key=lambda pair: (-pair[1], pair[0]), default=None)


@dataclass(frozen=True)
class RatingRow:
    prompt: str
    responses: int
    average: float | None  # 1 (strongly disagree) to 5 (strongly agree)


@dataclass(frozen=True)
class Comment:
    submitted_at: datetime
    prompt: str
    text: str


@dataclass(frozen=True)
class Evaluation:
    responses: int
    ratings: list[RatingRow]
    comments: list[Comment]  # the latest first


def item_analysis(course: Course, period: Period) -> list[ItemRow]:
    """Percent correct and the most chosen wrong answer per question, in post-test.yaml order."""
    wrong = json_text(db.session, PostTestAnswer.wrong_choices).label("wrong")
    statement = (
        sa.select(
            PostTestAnswer.question, PostTestAnswer.prompt, PostTestAnswer.correct, wrong, sa.func.count()
        )
        .where(PostTestAnswer.course_id == course.id)
        .where(PostTestAnswer.submitted_at >= period.starts_at)
        .where(PostTestAnswer.submitted_at < period.ends_before)
        .group_by(PostTestAnswer.question, PostTestAnswer.prompt, PostTestAnswer.correct, wrong)
    )
    items: dict[tuple[int, str], ItemRow] = {}
    for question, prompt, correct, wrong_choices, learners in db.session.execute(statement):
        prompt = prompt or f"Question {question + 1}"  # a question without a prompt keeps a row
        item = items.get((question, prompt)) or items.setdefault(
            (question, prompt), ItemRow(question, prompt)
        )
        item.answered += learners
        item.correct += learners if correct else 0
        for text in json.loads(wrong_choices):  # a wrong answer counts for each wrong choice in it
            item.wrong_choices[text] += learners
    return sorted(items.values(), key=lambda item: (item.question, item.prompt))


def evaluation_summary(course: Course, period: Period) -> Evaluation:
    """Averages per rating question and the latest comments, for the course's current questions."""
    questions = questions_as_asked(course.evaluation, course.objectives)
    ratings = [question for question in questions if question["type"] == "rating"]
    texts = [question for question in questions if question["type"] == "text"]
    scope = _evaluations(course, period)
    totals = dict(_rating_totals([question["key"] for question in ratings], scope))
    rows = []
    for question in ratings:
        answered, average = totals.get(question["key"], (0, None))
        rows.append(RatingRow(question["prompt"], answered, _rounded(average)))
    return Evaluation(totals[None][0], rows, _latest_comments(texts, scope))


def _rating_totals(keys: list[str], scope: tuple) -> list[tuple[str | None, tuple[int, float | None]]]:
    """(key, (answers, average)) per rating key, and (None, (responses, None)): one statement.

    The database unpacks each response's answers once and groups them by key, rather than reading
    the JSON once per question and aggregate.
    """
    entries = object_entries(db.session, EvaluationResponse.answers)
    average = sa.func.avg(sa.cast(entries.c.value, sa.Float))
    per_key = (
        sa.select(entries.c.key, sa.func.count(entries.c.value), average)
        .select_from(EvaluationResponse)
        .join(entries, sa.true())
        .where(*scope, entries.c.key.in_(keys))
        .group_by(entries.c.key)
    )
    responses = sa.select(sa.null(), sa.func.count(), sa.null()).where(*scope)
    rows = db.session.execute(sa.union_all(responses, per_key))
    return [(key, (count, value)) for key, count, value in rows]


def _evaluations(course: Course, period: Period) -> tuple:
    in_course = EvaluationResponse.enrolment_id.in_(
        sa.select(Enrolment.id).where(Enrolment.course_id == course.id)
    )
    return (
        in_course,
        EvaluationResponse.submitted_at >= period.starts_at,
        EvaluationResponse.submitted_at < period.ends_before,
    )


def _latest_comments(texts: list[dict], scope: tuple) -> list[Comment]:
    if not texts:
        return []
    answers = [EvaluationResponse.answers[question["key"]].as_string() for question in texts]
    written = sa.or_(*(sa.func.length(sa.func.trim(answer)) > 0 for answer in answers))
    rows = db.session.execute(
        sa.select(EvaluationResponse.submitted_at, *answers)
        .where(*scope, written)
        .order_by(EvaluationResponse.submitted_at.desc(), EvaluationResponse.id.desc())
        .limit(LATEST_COMMENTS)
    ).all()
    comments = []
    for submitted_at, *values in rows:
        for question, text in zip(texts, values, strict=True):
            if text and text.strip():
                comments.append(Comment(submitted_at, question["prompt"], text))
    return comments


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 2)
