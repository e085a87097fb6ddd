"""The learner markdown policy (courseware.markdown.render, trusted=False): images by web address
only, with alt and title and nothing else, loading lazily; the author policy is unchanged."""

import pytest

from courseware.markdown import render


def test_a_learner_image_by_web_address_keeps_src_alt_and_title_and_loads_lazily():
    html = render('![A visual schedule](https://example.org/schedule.png "Morning routine")')
    assert html == (
        '<p><img src="https://example.org/schedule.png" alt="A visual schedule" title="Morning routine"'
        ' loading="lazy"></p>\n'
    )


@pytest.mark.parametrize(
    "source",
    [
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](/static/img/favicon.svg)",
        "![x](//evil.example/x.png)",
        "![x](mailto:someone@example.org)",
        "![x](ftp://example.org/x.png)",
        "![x](http://example.org/x.png)",
    ],
)
def test_a_learner_image_without_a_web_address_loses_its_src(source):
    html = render(source)
    assert "src=" not in html


def test_raw_image_html_from_a_learner_is_shown_as_text():
    html = render('<img src="https://example.org/x.png" width="9999" onerror="alert(1)">')
    assert html.startswith("<p>&lt;img") and "<img" not in html


def test_code_links_and_lists_still_work_for_learners():
    html = render("Use `schedule()`:\n\n```\nfirst\n```\n\n1. one\n2. [two](https://example.org)")
    assert "<code>schedule()</code>" in html and "<pre><code>first\n</code></pre>" in html
    assert '<li><a href="https://example.org" rel="nofollow ugc noopener">two</a></li>' in html
    assert "<ol>\n<li>one</li>" in html


def test_the_author_policy_is_unchanged():
    html = render('![Chart](media/chart.png "Progress")', trusted=True)
    assert html == '<p><img src="media/chart.png" alt="Chart" title="Progress"></p>\n'
