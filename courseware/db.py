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


# The bind whose connections stay in autocommit, for read_connection (PostgreSQL only).
READS_BIND = "reads"


def reads_bind_options(url: str) -> dict:
    """The engine behind read_connection on PostgreSQL: a small pool of its own, in autocommit for
    good. Switching a shared connection into autocommit and back, and the rollback on its return,
    cost four trips through the driver on every cached topic page."""
    return {"url": url, "isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None}


def read_connection(engines: dict) -> sa.Connection:
    """A connection of its own for a page's one SELECT, outside the session (whose way of executing
    costs more than a small statement does); `engines` is Flask-SQLAlchemy's `db.engines`.

    On PostgreSQL from the autocommit bind: a transaction would add BEGIN and ROLLBACK, two more
    round trips. SQLite's driver begins no transaction for a SELECT."""
    return engines.get(READS_BIND, engines[None]).connect()


class DriverRead:
    """One SELECT run on the driver's own cursor, with the SQL and the type conversions SQLAlchemy
    compiles for the dialect, fetching one row as a tuple.

    For the busiest page only (the cached topic page): there SQLAlchemy's execution layer (events,
    result metadata, the driver's description of every column) cost more than the statement itself.
    While anything listens to the engine's statements (the tests' query counter, say), it runs
    through SQLAlchemy as usual, so they see it. Build it once per dialect; it holds no connection.
    """

    def __init__(self, statement: sa.Select, dialect: sa.Dialect) -> None:
        self._statement = statement
        self._compiled = statement.compile(dialect=dialect)
        self._sql = self._compiled.string
        self._positions = self._compiled.positiontup  # qmark (SQLite); None for named (psycopg)
        # The dialect's own forms of each type: SQLite's DATETIME reads and writes text, say.
        self._binds = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in self._compiled.binds.items()
        }
        self._results = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]

    def one_or_none(self, connection: sa.Connection, params: dict) -> tuple | None:
        if connection.dispatch.before_cursor_execute or connection.dispatch.after_cursor_execute:
            row = connection.execute(self._statement, params).one_or_none()
            return None if row is None else tuple(row)
        values = self._compiled.construct_params(params)
        for name, process in self._binds.items():
            if process is not None:
                values[name] = process(values[name])
        arguments = tuple(values[name] for name in self._positions) if self._positions else values
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(self._sql, arguments)
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        pairs = zip(self._results, row, strict=True)
        return tuple(value if process is None else process(value) for process, value in pairs)


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
def count_queries(*engines: Engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engines run inside the block (tests and benchmarks)."""
    statements: list[str] = []

    def _record(_conn, _cursor, statement, _params, _context, _executemany):
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _record)
