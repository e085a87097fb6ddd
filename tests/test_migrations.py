"""Every schema change is a migration: upgrading an empty database gives exactly the models' schema."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from courseware.extensions import db
from forum.search import include_name
from tests.conftest import throwaway_database

FILLER_TIME = datetime(2026, 2, 10, 12, tzinfo=UTC)


@pytest.fixture
def empty_database_url(tmp_path, database_url):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with throwaway_database(database_url, f"migrations_{uuid.uuid4().hex[:12]}") as url:
        yield url


def test_upgrade_builds_the_schema_the_models_describe(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            opts = {"compare_type": True, "include_name": include_name}
            context = MigrationContext.configure(connection, opts=opts)
            differences = compare_metadata(context, db.metadata)
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()
    assert differences == []


@contextmanager
def upgraded_with(database_url: str, before: str, rows, after: str) -> Iterator[sa.Connection]:
    """Upgrade to `before`, write `rows(connection)` as that schema has them, upgrade to `after`, and
    give a connection to read the result; everything is downgraded away afterwards."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        flask_migrate.upgrade(revision=before)
        with db.engine.begin() as connection:
            rows(connection)
        flask_migrate.upgrade(revision=after)
        try:
            with db.engine.connect() as connection:
                yield connection
        finally:
            flask_migrate.downgrade(revision="base")
            db.engine.dispose()


def insert_row(connection, name: str, **values) -> None:
    """Insert into the table as the database has it now, with a plain value in each other required column."""
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    for column in table.columns:
        if column.name not in values and not column.nullable and column.server_default is None:
            values[column.name] = _filler(column.type)
    connection.execute(table.insert().values(**values))


def _filler(type_) -> object:
    if isinstance(type_, sa.JSON):
        return {}
    if isinstance(type_, sa.DateTime):
        return FILLER_TIME
    if isinstance(type_, sa.Boolean):
        return False
    if isinstance(type_, sa.Integer | sa.Numeric | sa.Float):
        return 1
    return "x"
