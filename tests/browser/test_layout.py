"""Phone layout: no sideways scrolling, tap targets of 44 px, a usable player, a two-row header; screenshots.

Screenshots of every main page, at phone and desktop sizes, go to test-results/screenshots/.
"""

from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.browser.helpers import lesson_slugs
from tests.browser.pages import FREE_COURSE, MainPage, author_pages, signed_in_pages, signed_out_pages

MIN_TARGET_PX = 44

# Links and controls in the header, the banner and the page's main part that are smaller than a
# finger. Exempt, as WCAG 2.5.5 allows: links inside a sentence of text (an inline link in a
# paragraph, or in the lesson's own prose), and controls the page hides.
_SMALL_TARGETS = r"""
(minimum) => {
  const selector = ['a[href]', 'button', 'select', 'summary', 'input:not([type=hidden])', 'textarea']
    .flatMap((target) => ['header', '.banner', 'main'].map((area) => `${area} ${target}`)).join(', ');
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    if (el.closest('.prose')) return true;
    const own = el.innerText.trim().length;
    return blockOf(el).innerText.trim().length > own + 3;
  };
  // An inline link that wraps is as tall as one of its lines, not as all of them.
  const height = (el) => Math.max(...[...el.getClientRects()].map((rect) => rect.height), 0);
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility() || el.closest('.visually-hidden')) continue;
    // A checkbox's label is part of its target.
    const label = el.labels && ['checkbox', 'radio'].includes(el.type) ? el.labels[0] : null;
    const tall = Math.max(height(el), label ? height(label) : 0);
    if (tall >= minimum || inSentence(el)) continue;
    const name = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim();
    const text = name.replace(/\s+/g, ' ').slice(0, 40);
    small.push(`<${el.tagName.toLowerCase()}> "${text}" ${Math.round(tall)} px high`);
  }
  return small;
}
"""

_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && el.checkVisibility())
    .map((el) => `<${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}>`);
  return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5) };
}
"""


def test_signed_out_pages_fit_a_phone(app, demo_courses, new_context):
    phone, desktop = new_context(viewport=PHONE), new_context(viewport=DESKTOP)
    problems = check_pages(phone.new_page(), desktop.new_page(), signed_out_pages(app))
    assert not problems, "\n".join(problems)


def test_signed_in_pages_fit_a_phone(app, learner_with_progress, sign_in, new_context):
    phone = sign_in(new_context(viewport=PHONE), learner_with_progress)
    desktop = sign_in(new_context(viewport=DESKTOP), learner_with_progress)
    problems = check_pages(phone.new_page(), desktop.new_page(), signed_in_pages(app))
    assert not problems, "\n".join(problems)


def test_the_authors_studio_pages_fit_a_phone(app, make, learner_with_progress, sign_in, new_context):
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)
    phone = sign_in(new_context(viewport=PHONE), author)
    desktop = sign_in(new_context(viewport=DESKTOP), author)
    problems = check_pages(phone.new_page(), desktop.new_page(), author_pages(app))
    assert not problems, "\n".join(problems)


def test_the_player_and_outline_are_usable_on_a_phone(app, learner_with_progress, sign_in, new_context):
    page = sign_in(new_context(viewport=PHONE), learner_with_progress).new_page()
    (first, _title), (second, second_title), _third = lesson_slugs(app, FREE_COURSE)
    page.goto(f"/learn/{FREE_COURSE}/{first}")
    video = page.locator("#lesson-video")
    box = video.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    expect(page.get_by_label("Speed")).to_be_in_viewport()

    # The outline starts folded away under the lesson, and opens with a tap.
    outline = page.locator("#outline")
    expect(outline).not_to_have_attribute("open", "")
    lesson_link = outline.get_by_role("link", name=second_title)
    expect(lesson_link).to_be_hidden()
    outline.get_by_text("Course outline").click()
    expect(lesson_link).to_be_visible()
    assert lesson_link.bounding_box()["height"] >= MIN_TARGET_PX
    lesson_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second_title)

    # The transcript is a list of full-width buttons a thumb can hit.
    line = page.locator("#transcript button").nth(1)
    line.scroll_into_view_if_needed()
    line_box = line.bounding_box()
    assert line_box["height"] >= MIN_TARGET_PX and line_box["x"] + line_box["width"] <= PHONE["width"]
    line.click()
    expect(video).to_have_js_property("paused", False)


def test_the_phone_header_is_the_brand_over_one_row_of_links(app, learner, sign_in, new_context):
    page = sign_in(new_context(viewport=PHONE), learner).new_page()
    page.goto("/me/")
    brand = page.get_by_role("banner").get_by_role("link", name=app.config["SITE_NAME"], exact=True)
    nav = page.get_by_role("navigation", name="Main")
    names = ("Courses", "My learning", "Profile", "Notifications")
    items = [nav.get_by_role("link", name=name, exact=True) for name in names]
    items.append(nav.get_by_role("button", name="Log out"))
    boxes = [item.bounding_box() for item in [brand, *items]]
    brand_box, item_boxes = boxes[0], boxes[1:]
    tops = [round(box["y"]) for box in item_boxes]
    assert max(tops) - min(tops) <= 1, f"the five header links wrap onto more than one row: tops {tops}"
    assert brand_box["y"] + brand_box["height"] <= min(tops), f"the links share the brand's row: {boxes}"
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] for box in item_boxes), boxes


# Helpers


def check_pages(phone: Page, desktop: Page, pages: list[MainPage]) -> list[str]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for main in pages:
        response = phone.goto(main.path)
        assert response.status == main.status, f"{main.path} answered {response.status}"
        overflow = phone.evaluate(_OVERFLOW)
        if overflow["scrollWidth"] > PHONE["width"]:
            problems.append(f"{main.name}: {overflow['scrollWidth']} px wide; too wide: {overflow['wide']}")
        small_targets = phone.evaluate(_SMALL_TARGETS, MIN_TARGET_PX)
        problems += [f"{main.name}: small tap target {small}" for small in small_targets]
        phone.screenshot(path=SCREENSHOTS / f"{main.name}-phone.png", full_page=True)
        desktop.goto(main.path)
        desktop.screenshot(path=SCREENSHOTS / f"{main.name}-desktop.png", full_page=True)
    return problems
