"""courseware.db.DriverRead: the driver's cursor gives the row SQLAlchemy itself would give, with
the dialect's conversions (aware datetimes, booleans, None) on SQLite and PostgreSQL alike."""

from datetime import timedelta

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.db import DriverRead, count_queries, read_connection, utcnow
from courseware.extensions import db


def _statement() -> sa.Select:
    """Every kind of value the topic page reads: ints, text, an aware datetime, NULL, a boolean."""
    return sa.select(
        User.id,
        User.email,
        User.email_verified_at,
        User.legal_name,
        (User.email_verified_at < sa.bindparam("now")).label("verified_before"),
        sa.literal("constant"),  # a value bound inside the statement, not passed in
    ).where(User.id == sa.bindparam("user_id"))


def test_the_drivers_row_is_sqlalchemys_row(app, make):
    user = make.user()
    with app.app_context():
        verified_at = db.session.get(User, user.id).email_verified_at
        read = DriverRead(_statement(), db.engine.dialect)
        params = {"user_id": user.id, "now": utcnow() + timedelta(minutes=1)}
        with read_connection(db.engines) as connection:
            fast = read.one_or_none(connection, params)
            missing = read.one_or_none(connection, {**params, "user_id": user.id + 1})
            expected = tuple(connection.execute(_statement(), params).one())

    assert fast == expected == (user.id, user.email, verified_at, None, True, "constant")
    assert fast[2].tzinfo is not None and isinstance(fast[4], bool)
    assert missing is None


def test_while_statements_are_counted_it_runs_through_sqlalchemy_and_is_counted(app, make):
    user = make.user()
    with app.app_context():
        read = DriverRead(_statement(), db.engine.dialect)
        with count_queries(*db.engines.values()) as statements, read_connection(db.engines) as connection:
            row = read.one_or_none(connection, {"user_id": user.id, "now": utcnow()})

    assert row[:2] == (user.id, user.email)
    assert len(statements) == 1 and "FROM users" in statements[0]


def test_the_read_connection_is_in_autocommit_from_a_pool_of_its_own_on_postgresql(app):
    with app.app_context(), read_connection(db.engines) as connection:
        if connection.dialect.name == "postgresql":
            # No BEGIN and ROLLBACK around the page's one SELECT, and nothing to switch back.
            assert connection.engine is not db.engine
            assert connection.connection.dbapi_connection.autocommit is True
            assert connection.execute(sa.text("SHOW jit")).scalar() == "off"  # the same settings
        else:
            assert connection.engine is db.engine  # SQLite's driver begins no transaction for it
