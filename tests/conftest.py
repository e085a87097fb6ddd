"""Fixtures: `app`, `client`, `make` (factories), `login`, `queries`; the real database, no network.

Tests run on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. The schema is
created once per run; every test starts from empty tables.
"""

import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache

import psycopg
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from app import create_app
from courseware.accounts.models import Role, User
from courseware.content.models import Course, Lesson, Module, Status
from courseware.db import count_queries, utcnow
from courseware.extensions import db, limiter
from courseware.formatting import transcript_html
from courseware.learning.models import Enrolment, EnrolmentSource

PASSWORD = "correct horse battery"
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "tests")
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """SQLite in a temporary folder, or TEST_DATABASE_URL's server.

    Under pytest-xdist (`make test` runs two workers) each worker gets a database of its own on
    that server, named after it, so one worker's emptying of the tables never meets another's test.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    elif worker_id == "master":
        yield url
    else:
        with throwaway_database(url, f"{sa.make_url(url).database}_{worker_id}") as worker_url:
            yield worker_url


@contextmanager
def throwaway_database(server_url: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database `name` beside `server_url`'s, dropped afterwards.

    One left behind by an interrupted run is dropped first.
    """
    drop = psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    try:
        yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(drop)


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(_test_config(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        dispose_engines()


def _test_config(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "locmem",
        "SERVER_NAME": "localhost",
        # With REDIS_URL set the rate limits count in Redis; each pytest-xdist worker keeps (and
        # resets) its own keys there.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"LIMITS-{_WORKER}"},
        **overrides,
    }


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Tests may add keys before `app` is built (e.g. COURSES_DIR)."""
    return {"COURSES_DIR": str(tmp_path / "courses"), **own_folders(tmp_path)}


def own_folders(tmp_path) -> dict:
    """Uploads and media in the test's own folder, not the project's instance folder (which another
    worker's test, with the same course ids, may be writing)."""
    return {"UPLOADS_DIR": str(tmp_path / "uploads"), "MEDIA_DIR": str(tmp_path / "media")}


@pytest.fixture
def app(_schema, database_url, app_config):
    app = create_app(_test_config(database_url, **app_config))
    app.test_client_class = CSRFClient
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        dispose_engines()


def dispose_engines() -> None:
    """Close the app's pooled connections (each test builds its own app, with its own pools)."""
    for engine in db.engines.values():
        engine.dispose()


def _empty_all_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


class CSRFClient(FlaskClient):
    """A test client that sends the CSRF token the way our forms and scripts do.

    Pass csrf=False to send a request without it.
    """

    _token: str | None = None

    def open(self, *args, csrf: bool = True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method in {"POST", "PUT", "PATCH", "DELETE"}:
            token = self.csrf_token()
            if "json" in kwargs:
                kwargs.setdefault("headers", {})["X-CSRFToken"] = token
            else:
                data = kwargs.setdefault("data", {})
                if isinstance(data, dict):
                    data.setdefault("csrf_token", token)
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        if self._token is None:
            page = super().open("/auth/login", method="GET").get_data(as_text=True)
            self._token = _CSRF_META.search(page).group(1)
        return self._token


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@cache
def _password_hash() -> str:
    # scrypt is slow on purpose; the factories share one hash of PASSWORD.
    return generate_password_hash(PASSWORD)


class Factory:
    def __init__(self, app):
        self.app = app
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    def _save(self, *objects):
        with self.app.app_context():
            db.session.add_all(objects)
            db.session.commit()
            for obj in objects:
                db.session.refresh(obj)
                db.session.expunge(obj)
        return objects[0]

    def user(
        self, email: str | None = None, verified: bool = True, role: str = Role.MEMBER, **fields
    ) -> User:
        n = self._next()
        return self._save(
            User(
                email=email or f"learner{n}@example.com",
                password_hash=_password_hash(),
                display_name=fields.pop("display_name", f"Learner {n}"),
                handle=fields.pop("handle", f"learner{n}"),
                role=role,
                email_verified_at=utcnow() if verified else None,
                **fields,
            )
        )

    def course(self, slug: str | None = None, lessons: int = 3, video: bool = True, **fields) -> Course:
        """A published course with one module and `lessons` lessons of 60 s video each."""
        n = self._next()
        slug = slug or f"course-{n}"
        defaults = dict(
            title=f"Course {n}",
            summary="A course.",
            instructor="Jennifer Huff, OTR, MOT",
            contact_hours=Decimal("1.00"),
            level="Introductory",
            category="Professional Issues",
            objectives=["Do a thing"],
            status=Status.PUBLISHED,
            lesson_count=lessons,
            video_seconds=60 * lessons if video else 0,
        )
        defaults.update(fields)
        with self.app.app_context():
            course = Course(slug=slug, **defaults)
            module = Module(course=course, slug="m1", position=1, title="Module one")
            db.session.add_all([course, module])
            db.session.flush()
            minutes = course.total_credit_minutes
            for i in range(lessons):
                share = minutes // lessons + (1 if i < minutes % lessons else 0)
                db.session.add(self._lesson(course, module, i + 1, share, video))
            db.session.commit()
            course_id = course.id
        return self.get(Course, course_id)

    @staticmethod
    def _lesson(course: Course, module: Module, position: int, credit_minutes: int, video: bool) -> Lesson:
        return Lesson(
            course_id=course.id,
            module=module,
            slug=f"lesson-{position}",
            position=position,
            title=f"Lesson {position}",
            credit_minutes=credit_minutes,
            video_path=f"media/lesson-{position}.mp4" if video else None,
            duration_seconds=60 if video else None,
            body_html=f"<p>Lesson {position} text.</p>",
            transcript=[[0.0, 4.0, f"Welcome to lesson {position}."]] if video else [],
            transcript_html=transcript_html([[0.0, 4.0, f"Welcome to lesson {position}."]]) if video else "",
        )

    def enrolment(self, user: User, course: Course, source: str = EnrolmentSource.FREE) -> Enrolment:
        return self._save(Enrolment(user_id=user.id, course_id=course.id, source=source))

    def get(self, model, id_):
        with self.app.app_context():
            obj = db.session.get(model, id_)
            db.session.expunge(obj)
            return obj

    def lessons(self, course: Course) -> list[Lesson]:
        with self.app.app_context():
            rows = db.session.scalars(
                sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
            ).all()
            db.session.expunge_all()
            return list(rows)


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


@pytest.fixture
def login(client):
    """login(user): sign the test client in as `user` without going through the rate-limited form."""

    def _login(user: User) -> CSRFClient:
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        client.csrf_token()  # fetched now, so it never adds statements to a counted request
        return client

    return _login


@pytest.fixture
def queries(app):
    """with queries() as statements: ... collects the SQL run inside the block."""

    def _count():
        with app.app_context():
            engines = list(db.engines.values())  # the autocommit reads bind too (PostgreSQL)
        return count_queries(*engines)

    return _count


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Fail any test that tries to reach a host other than this machine.

    The attempt is refused at once and the test fails at teardown even if the code under test
    caught the error (the Stripe SDK, for one, turns it into a connection error it handles).
    """
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def refuse(host) -> None:
        if isinstance(host, bytes):
            host = host.decode()
        if isinstance(host, str) and host not in _LOCAL_HOSTS and not host.startswith("/"):
            attempts.append(host)
            raise RuntimeError(f"test tried to reach the network: {host!r}")

    def guarded_connect(self, address):
        refuse(address[0] if isinstance(address, tuple) else address)
        return real_connect(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield
    if attempts:
        pytest.fail(f"the code tried to reach the network: {sorted(set(attempts))}")


_LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}
