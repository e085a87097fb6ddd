"""The declarative base, shared column types and the query-count helper."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """Timestamps are stored as UTC and always come back timezone-aware.

    SQLite drops the offset of a stored datetime; PostgreSQL keeps it. This type makes both
    hand back the same aware value, so comparisons never mix naive and aware times.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


def insert_ignoring_duplicates(session: Session, model: type, values: dict) -> bool:
    """INSERT a row unless it would break a unique constraint (a concurrent request made it first).

    One statement on both databases we run on, with no savepoint: ON CONFLICT DO NOTHING.
    True when this call inserted the row (from RETURNING: psycopg reports no rowcount here).
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(sa.literal_column("1"))
    return session.execute(statement).first() is not None


def read_connection(engine: Engine) -> sa.Connection:
    """A connection of its own for a page's one SELECT, outside the session (whose way of
    executing costs more than a small statement does). On PostgreSQL in autocommit mode: a
    transaction would add BEGIN and ROLLBACK, two more round trips. SQLite's driver begins no
    transaction for a SELECT, and switching its mode costs statements of its own."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def install_connection_settings(engine: Engine) -> None:
    """Settings every new connection gets: SQLite's pragmas, PostgreSQL's JIT off."""
    if engine.dialect.name == "sqlite":
        _install_sqlite_pragmas(engine)
    elif engine.dialect.name == "postgresql":
        _turn_off_jit(engine)


def _turn_off_jit(engine: Engine) -> None:
    """PostgreSQL compiles a costly-looking plan to machine code first; for the studio's analytics
    that took 10-37 ms of a ~150 ms page and saved nothing (bench/README.md, Analytics). Every other
    statement here is small, where JIT never pays either."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()  # a SET is undone with its transaction; this one must stay


def _install_sqlite_pragmas(engine: Engine) -> None:
    """WAL for concurrent readers, enforced foreign keys and a busy timeout for writers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL cannot corrupt the database and skips an fsync on every commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs inside the block (tests and benchmarks)."""
    statements: list[str] = []

    def _record(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)
