"""The expressions the analytics write differently for SQLite and PostgreSQL: months, JSON reads.

Both give the same numbers: tests run the charts on both databases with the same data.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session


def month_of(session: Session, column) -> sa.ColumnElement[str]:
    """The UTC month of a timestamp column as "YYYY-MM"."""
    if _dialect(session) == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")
    # SQLite stores our timestamps as UTC text ("2026-03-31 23:59:59.000000").
    return sa.func.strftime("%Y-%m", column)


def last_watched_bucket(session: Session, intervals, duration, buckets: int) -> sa.ColumnElement[int]:
    """Which of `buckets` equal parts of the video holds the viewer's last watched second.

    `watched_intervals` is kept sorted and disjoint (learning.watchtime stores their union), so the
    furthest second watched is the end of the last interval: one lookup a row, where exploding every
    interval with json_each / json_array_elements and taking max(end) gives the same number at ten
    times the work. NULL when nothing was watched (an empty list).
    """
    if _dialect(session) == "postgresql":
        last_end = _last_number(intervals)
        return sa.cast(sa.func.floor(last_end * buckets / duration), sa.Integer)
    last_end = sa.func.json_extract(intervals, "$[#-1][1]")
    # For a non-negative number, CAST ... AS INTEGER truncates: the floor, without needing SQLite's
    # optional math functions.
    return sa.cast(last_end * float(buckets) / duration, sa.Integer)


def _last_number(intervals) -> sa.ColumnElement[float]:
    """The last number in a `json` list of [start, end] pairs, from its text: "[[0, 5], [9, 12]]" -> 12.

    The `json` type keeps the text as written, and `-> -1` on it parses the whole document twice
    (once to count the elements); cutting the text after its last comma reads it once, at about
    half the cost on 100,000 rows (bench/analytics.py checks both give the same numbers). An empty
    list "[]" gives NULL, as the JSON lookup does.
    """
    text = sa.func.rtrim(sa.cast(intervals, sa.Text), sa.literal_column("'] '"))
    last = sa.func.ltrim(sa.func.split_part(text, sa.literal_column("','"), -1), sa.literal_column("' ['"))
    return sa.cast(sa.func.nullif(last, sa.literal_column("''")), sa.Float)


def object_entries(session: Session, column) -> sa.TableValuedAlias:
    """A JSON object's entries as rows (`key`, `value` as SQL values), for a FROM clause joined ON true."""
    function = sa.func.json_each_text if _dialect(session) == "postgresql" else sa.func.json_each
    return function(column).table_valued("key", "value", name="entry")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@dataclass(frozen=True)
class PaperQuestions:
    """The questions of each attempt's paper as rows, with the learner's answer to each.

    `elements` goes in the FROM clause after post_test_attempts (joined ON true: a table-valued
    function there may read the attempt's own paper on both databases). Each JSON document is
    parsed as few times as each database allows; values come back as JSON text for Python to read.
    """

    elements: sa.TableValuedAlias
    head: sa.ColumnElement[str]  # JSON text [question index in post-test.yaml, prompt, [key indices]]
    choices: sa.ColumnElement[str]  # JSON text holding the shown choices [[index, text], ...]
    chosen: sa.ColumnElement[str]  # the learner's choice indices as JSON text; NULL when unanswered


def paper_questions(session: Session, paper, answers) -> PaperQuestions:
    # Keys are literal SQL, not bound parameters: PostgreSQL must see the GROUP BY expressions as
    # the very same ones the SELECT list has.
    if _dialect(session) == "postgresql":
        # json_to_recordset reads each question's fields in one pass over the paper.
        fields = (
            sa.column("question", sa.Integer),
            sa.column("prompt", sa.Text),
            sa.column("answer", sa.JSON),
            sa.column("choices", sa.Text),
        )
        elements = (
            sa.func.json_to_recordset(paper).table_valued(*fields).render_derived("paper_question", True)
        )
        question, prompt, key, choices = (elements.c[column.name] for column in fields)
        head = sa.cast(sa.func.json_build_array(question, prompt, key), sa.Text)
        return PaperQuestions(elements, head, choices, answers.op("->>")(sa.cast(question, sa.Text)))
    elements = sa.func.json_each(paper).table_valued("value", name="paper_question")
    value = elements.c.value
    # json_extract with several paths parses the question once and answers a JSON array.
    head = sa.func.json_extract(
        value, *(sa.literal_column(f"'$.{name}'") for name in ("question", "prompt", "answer"))
    )
    question = sa.cast(sa.func.json_extract(value, sa.literal_column("'$.question'")), sa.Text)
    path = sa.literal_column("'$.\"'").concat(question).concat(sa.literal_column("'\"'"))
    # The whole question's text: max() compares text, so no JSON is parsed to pick one.
    return PaperQuestions(elements, head, value, sa.func.json_extract(answers, path))
