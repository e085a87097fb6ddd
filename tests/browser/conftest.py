"""The browser-test harness: a real werkzeug server, Debian's Chromium, and seeded data.

One threaded werkzeug server listens on 127.0.0.1 for the whole session; each test plugs its own
`app` (the suite's fixture, on the suite's test database) into it, so a browser test sees exactly
the data the test built with `make` and reads back with `app.app_context()`. Contexts and pages
are per test and close before the app is unplugged and the tables are emptied. See README.md.
"""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from werkzeug.serving import WSGIRequestHandler, make_server

from courseware.accounts.models import User
from courseware.content.services import sync_courses
from courseware.db import utcnow
from courseware.extensions import db
from tests.browser.pages import seed_learner_progress
from tests.conftest import own_folders
from tests.studio.s3_helpers import bucket, endpoint  # noqa: F401 (the S3 store's fixtures)

ROOT = Path(__file__).resolve().parents[2]
DEMO_COURSES = ROOT / "courses"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 10_000

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    missing = not CHROMIUM.exists()
    reason = f"no Chromium at {CHROMIUM}: `apt-get install -y chromium` to run the browser tests"
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if _HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing:
            item.add_marker(skip)


class _RequestHandler(WSGIRequestHandler):
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body waits for
    # the browser's delayed ACK (~40 ms a request).
    disable_nagle_algorithm = True


class LiveServer:
    """A threaded werkzeug server on a free port; `app` is whichever app the running test plugged in."""

    def __init__(self) -> None:
        self.app = None
        self.failures: list[str] = []
        self._active = 0
        self._idle = threading.Condition()
        self._server = make_server(
            "127.0.0.1", 0, self._dispatch, threaded=True, request_handler=_RequestHandler
        )
        self.host = f"127.0.0.1:{self._server.server_port}"
        self.url = f"http://{self.host}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait_until_idle(self, timeout: float = 10) -> None:
        """Until every request in flight (a closing page's last heartbeat, say) is through the app."""
        with self._idle:
            assert self._idle.wait_for(lambda: self._active == 0, timeout), "requests still running"

    def _dispatch(self, environ, start_response):
        app = self.app
        if app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"No browser test is running."]

        def recording_start_response(status, headers, *args):
            # A 500 is a bug even when the page the test waits on looks fine.
            if status.startswith("5"):
                self.failures.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} -> {status}")
            return start_response(status, headers, *args)

        # Flask has done its database work (and closed its session) when the call returns; only
        # streaming a file's bytes comes later.
        with self._idle:
            self._active += 1
        try:
            return app(environ, recording_start_response)
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()


@pytest.fixture(scope="session")
def live_server():
    server = LiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(live_server, tmp_path) -> dict:
    # The real demo courses (their videos and captions are served from here) and the server's own
    # host, so links in emails point at the live server.
    return {"COURSES_DIR": str(DEMO_COURSES), "SERVER_NAME": live_server.host, **own_folders(tmp_path)}


@pytest.fixture
def served(app, live_server):
    """The test's app, answering on live_server.url; any 5xx it sends fails the test."""
    live_server.failures.clear()
    live_server.app = app
    yield live_server
    live_server.app = None
    live_server.wait_until_idle()  # before the tables are emptied
    failures, live_server.failures[:] = list(live_server.failures), []
    assert not failures, f"the server answered with an error: {failures}"


# pytest-playwright's fixtures, pointed at Debian's Chromium and the live server.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, live_server):
    # Depending on live_server makes the server start before the browser and stop after it.
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args) -> dict:
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture
def new_context(served, new_context):
    """Contexts are made after the app is served, and closed before it is unplugged."""

    def make_context(viewport=DESKTOP, **kwargs) -> BrowserContext:
        context = new_context(viewport=viewport, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    return make_context


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


# Seeded data and signed-in pages.


@pytest.fixture
def demo_courses(app) -> None:
    """The three demo courses from courses/, synced as `flask courses sync` does."""
    with app.app_context():
        sync_courses(DEMO_COURSES, utcnow())
        db.session.commit()


@pytest.fixture
def sign_in(app, live_server):
    """sign_in(context, user): the browser holds the session cookie that logging in would give it.

    The log-in form itself is exercised by the journey and keyboard tests; everything else starts
    signed in, without spending the log-in rate limit.
    """

    def _sign_in(context: BrowserContext, user: User) -> BrowserContext:
        with app.test_request_context():
            serializer = app.session_interface.get_signing_serializer(app)
            value = serializer.dumps({"_user_id": user.session_token, "_fresh": True})
        cookie = {"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live_server.url}
        context.add_cookies([{**cookie, "httpOnly": True, "sameSite": "Lax"}])
        return context

    return _sign_in


@pytest.fixture
def learner(make) -> User:
    return make.user(email="maya.ot@example.com", display_name="Maya Ortiz", legal_name="Maya R. Ortiz")


@pytest.fixture
def learner_page(context, learner, sign_in) -> Page:
    """A page in a context signed in as `learner`."""
    sign_in(context, learner)
    return context.new_page()


@pytest.fixture
def learner_with_progress(app, demo_courses, learner) -> User:
    """`learner`, enrolled in the free demo course with its first lesson done, and a licence."""
    seed_learner_progress(app, learner)
    return learner
