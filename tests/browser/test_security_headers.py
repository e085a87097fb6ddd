"""Security headers on every main page, read through the real server, and a console free of CSP errors."""

import re

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.helpers import lesson_slugs
from tests.browser.pages import FREE_COURSE, signed_in_pages, signed_out_pages
from tests.conftest import PASSWORD

# Recorded by the page itself: every violation fires this event, whatever the console shows.
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`);
});
"""


def test_every_main_page_sends_the_security_headers(app, learner_with_progress, sign_in, new_context):
    signed_out = new_context().new_page()
    signed_in = sign_in(new_context(), learner_with_progress).new_page()
    visits = [(signed_out, main) for main in signed_out_pages(app)]
    visits += [(signed_in, main) for main in signed_in_pages(app)]
    problems = []
    for page, main in visits:
        response = page.goto(main.path)
        assert response.status == main.status, f"{main.path} answered {response.status}"
        problems += [f"{main.name}: {problem}" for problem in header_problems(response.all_headers())]
    # What the pages load: the stylesheet, the player's script, a video and its captions.
    page = signed_in
    page.goto(next(main.path for main in signed_in_pages(app) if main.name == "player"))
    for url in ("/static/css/app.css", "/static/js/player.js"):
        headers = page.request.get(url).headers
        if headers.get("x-content-type-options") != "nosniff":
            problems.append(f"{url}: no X-Content-Type-Options: nosniff")
    for selector in ("#lesson-video source", "#lesson-video track"):
        url = page.locator(selector).get_attribute("src")
        headers = page.request.get(url).headers
        if headers.get("x-content-type-options") != "nosniff":
            problems.append(f"{url}: no X-Content-Type-Options: nosniff")
    assert not problems, "\n".join(problems)


def test_normal_use_shows_no_csp_violation(app, learner, learner_with_progress, sign_in, new_context):
    messages: list[str] = []
    signed_out = watched(new_context().new_page(), messages)
    for main in signed_out_pages(app):
        visit(signed_out, main.path, messages)
    # Log in through the form, then use every signed-in page and the player.
    signed_out.goto("/auth/login")
    signed_out.get_by_label("Email").fill(learner.email)
    signed_out.get_by_label(re.compile("^Password")).fill(PASSWORD)
    signed_out.get_by_role("button", name="Log in").click()
    expect(signed_out.get_by_role("heading", level=1)).to_have_text("My learning")
    check(signed_out, "after logging in", messages)

    page = watched(sign_in(new_context(), learner_with_progress).new_page(), messages)
    for main in signed_in_pages(app):
        visit(page, main.path, messages)
    use_the_player(app, page)
    check(page, "the player in use", messages)
    assert not messages, "CSP violations:\n" + "\n".join(messages)


def test_the_watch_catches_a_violation(new_context):
    """The control: an inline script added to a page is refused, and both listeners report it."""
    messages: list[str] = []
    page = watched(new_context().new_page(), messages)
    page.goto("/auth/login")
    inline_script = "() => document.body.append(Object.assign(document.createElement('script'), {text: '1'}))"
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(inline_script)
    check(page, "login", messages)
    assert any(m.startswith("console") and "inline script" in m for m in messages), messages
    assert any(m.startswith("login: script-src") for m in messages), messages


# Helpers


def header_problems(headers: dict[str, str]) -> list[str]:
    problems = []
    policy = headers.get("content-security-policy", "")
    directives = {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }
    expected = {
        "default-src": ["'self'"], "script-src": ["'self'"], "object-src": ["'none'"],
        "base-uri": ["'self'"], "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    }
    for name, sources in expected.items():
        if directives.get(name) != sources:
            problems.append(f"CSP {name} is {directives.get(name)}, expected {sources}")
    unsafe = [part for part in policy.split() if part.startswith("'unsafe-")]
    if unsafe:
        problems.append(f"CSP allows {unsafe}")
    wanted = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "x-frame-options": "DENY",
    }
    for name, value in wanted.items():
        if headers.get(name) != value:
            problems.append(f"{name} is {headers.get(name)!r}, expected {value!r}")
    return problems


def watched(page: Page, messages: list[str]) -> Page:
    page.add_init_script(_RECORD_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        # Older Chromium says "Refused to execute ...", newer "Executing ... violates ... Policy".
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            messages.append(f"console on {page.url}: {message.text}")

    page.on("console", on_console)
    return page


def visit(page: Page, path: str, messages: list[str]) -> None:
    page.goto(path)
    check(page, path, messages)


def check(page: Page, where: str, messages: list[str]) -> None:
    messages += [f"{where}: {violation}" for violation in page.evaluate("() => window.__cspViolations")]


def use_the_player(app, page: Page) -> None:
    """Play, change speed, jump from the transcript and pause: scripts, media and a heartbeat."""
    page.goto(f"/learn/{FREE_COURSE}/{lesson_slugs(app, FREE_COURSE)[1][0]}")
    video = page.locator("#lesson-video")
    page.get_by_label("Speed").select_option("1.5")
    page.locator("#transcript button").nth(1).click()
    expect(video).to_have_js_property("paused", False)
    expect(page.locator("#transcript button").nth(1)).to_have_attribute("aria-current", "true")
    with page.expect_response(re.compile(r"/progress$")) as heartbeat:
        video.click()  # pause
    assert heartbeat.value.ok
    expect(page.locator("#watch-status")).to_have_text(re.compile(r"^Watched \d+%"))
    page.locator("#outline summary").click()
