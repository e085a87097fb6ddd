"""Every schema change is a migration: upgrading an empty database gives exactly the models' schema."""

import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from courseware.extensions import db
from forum.search import include_name
from tests.conftest import throwaway_database


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
