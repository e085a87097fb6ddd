"""The expressions the analytics write differently for SQLite and PostgreSQL: months, buckets, JSON.

Both give the same numbers: tests run the charts on both databases with the same data.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session


def month_of(session: Session, column) -> sa.ColumnElement[str]:
    """The UTC month of a timestamp column as "YYYY-MM"."""
    if _dialect(session) == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")
    # SQLite stores our timestamps as UTC text ("2026-03-31 23:59:59.000000").
    return sa.func.strftime("%Y-%m", column)


def bucket_of(session: Session, seconds, duration, buckets: int) -> sa.ColumnElement[int]:
    """Which of `buckets` equal parts of the video holds the second `seconds`; NULL when it is NULL."""
    if _dialect(session) == "postgresql":
        return sa.cast(sa.func.floor(seconds * buckets / duration), sa.Integer)
    # For a non-negative number, CAST ... AS INTEGER truncates: the floor, without needing SQLite's
    # optional math functions.
    return sa.cast(seconds * float(buckets) / duration, sa.Integer)


def json_text(session: Session, column) -> sa.ColumnElement[str]:
    """A JSON column's text, to group rows by: PostgreSQL's `json` has no equality operator."""
    if _dialect(session) == "postgresql":
        return sa.cast(column, sa.Text)
    # SQLite keeps JSON as text already: a CAST would only copy every value (twice the cost).
    return sa.type_coerce(column, sa.Text)


def object_entries(session: Session, column) -> sa.TableValuedAlias:
    """A JSON object's entries as rows (`key`, `value` as SQL values), for a FROM clause joined ON true."""
    function = sa.func.json_each_text if _dialect(session) == "postgresql" else sa.func.json_each
    return function(column).table_valued("key", "value", name="entry")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
