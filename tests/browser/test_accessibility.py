"""Accessibility in a real browser: axe-core on every main page, and captions.

The keyboard alone, with its visible focus, is test_keyboard.py.
"""

from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from tests.browser.pages import FREE_COURSE, MainPage, author_pages, signed_in_pages, signed_out_pages

BLOCKING = ("serious", "critical")

# axe is loaded as an init script, which CSP does not apply to, so the pages keep their real CSP.
_RUN_AXE = """
async () => {
  const results = await axe.run(document, { resultTypes: ['violations'] });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}
"""


def test_signed_out_pages_have_no_serious_accessibility_violations(app, demo_courses, new_context):
    page = axe_page(new_context)
    found = {main.name: violations(page, main) for main in signed_out_pages(app)}
    # A form sent back with its errors, too.
    page.goto("/auth/signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    found["signup-with-errors"] = blocking(page)
    assert_no_violations(found)


def test_axe_runs_under_the_pages_csp_and_reports_what_it_finds(app, new_context):
    """The control: a page broken on purpose is reported, so a clean report means something."""
    page = axe_page(new_context)
    page.goto("/auth/login")
    page.evaluate("() => { document.querySelector('#email').removeAttribute('id'); }")  # unlabels it
    assert "label" in [found["id"] for found in blocking(page)]


def test_signed_in_pages_have_no_serious_accessibility_violations(
    app, make, learner_with_progress, sign_in, new_context
):
    page = axe_page(new_context, sign_in, learner_with_progress)
    found = {main.name: violations(page, main) for main in signed_in_pages(app)}
    page.goto("/me/password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    found["change-password-with-errors"] = blocking(page)
    # A new member sees the "verify your email" banner on every page.
    unverified = axe_page(new_context, sign_in, make.user(verified=False))
    found["dashboard-unverified"] = violations(unverified, MainPage("dashboard-unverified", "/me/"))
    assert_no_violations(found)


def test_the_authors_studio_pages_have_no_serious_accessibility_violations(
    app, make, learner_with_progress, sign_in, new_context
):
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)
    page = axe_page(new_context, sign_in, author)
    found = {main.name: violations(page, main) for main in author_pages(app)}
    assert_no_violations(found)


def test_captions_are_on_by_default(app, learner_with_progress, learner_page: Page):
    page = learner_page
    page.goto(f"/learn/{FREE_COURSE}/")
    page.get_by_role("link", name="Continue where you left off").click()
    track = page.locator("#lesson-video track")
    expect(track).to_have_attribute("kind", "captions")
    expect(track).to_have_attribute("default", "")
    page.wait_for_function("() => document.querySelector('#lesson-video').textTracks[0]?.mode === 'showing'")
    expect(page.locator("#transcript button").first).to_be_visible()  # the same words, as text


# Helpers


def axe_page(new_context, sign_in=None, user=None) -> Page:
    context = new_context()
    context.add_init_script(path=AXE_FILE_PATH)
    if user is not None:
        sign_in(context, user)
    return context.new_page()


def violations(page: Page, main: MainPage) -> list[dict]:
    response = page.goto(main.path)
    assert response.status == main.status, f"{main.path} answered {response.status}"
    return blocking(page)


def blocking(page: Page) -> list[dict]:
    return [found for found in page.evaluate(_RUN_AXE) if found["impact"] in BLOCKING]


def assert_no_violations(found: dict[str, list[dict]]) -> None:
    lines = [
        f"  {name}: {v['id']} ({v['impact']}): {v['help']}\n      at {', '.join(v['targets'][:5])}"
        for name, page_violations in found.items()
        for v in page_violations
    ]
    assert not lines, "serious or critical accessibility violations:\n" + "\n".join(lines)

