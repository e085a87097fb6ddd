"""Script injection: the corpus the browser tests share, as topic titles, post bodies and display
names. Titles and names are shown as text; bodies are stored sanitised and shown as stored."""

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from courseware.db import utcnow
from courseware.extensions import db
from forum import services
from forum.models import Board, Post, Topic
from tests.browser.xss_corpus import VECTORS
from tests.forum.conftest import topic_path

_ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "del", "s",
    "sup", "sub", "img",
}
# Our own pages hold forms, inputs and meta tags; none holds these (the pages use no script at all).
_PAGE_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "frame"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}


class _ScriptRisks(HTMLParser):
    """Reads HTML as a browser would and lists what could run script: an element outside the
    learner allow-list, an event handler attribute, or a URL that is not http(s), mailto or relative."""

    def __init__(self, whole_page: bool):
        super().__init__(convert_charrefs=True)
        self.whole_page = whole_page
        self.risks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _PAGE_FORBIDDEN_TAGS if self.whole_page else tag not in _ALLOWED_TAGS:
            self.risks.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.risks.append(f"{tag} {name}=")
            if name in _URL_ATTRIBUTES:
                scheme = re.match(r"\s*([a-z][a-z0-9+.-]*):", re.sub(r"[\x00-\x20]", "", value or ""), re.I)
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    self.risks.append(f"{tag} {name}={value}")


def script_risks(html: str, whole_page: bool = False) -> list[str]:
    parser = _ScriptRisks(whole_page)
    parser.feed(html)
    parser.close()
    return parser.risks


IMAGE_TRICKS = [
    '![x](https://example.org/a.png" onerror="alert(1))',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](https://example.org/a.png 'title\" onload=\"alert(1)')",
    '[![x](https://example.org/a.png)](javascript:alert(1))',
]


def _payloads() -> list[str]:
    return [vector.payload for vector in VECTORS] + IMAGE_TRICKS


@pytest.mark.parametrize("payload", _payloads())
def test_stored_post_html_holds_no_script(app, payload):
    with app.app_context():
        html = services.cook(payload)
        title_markdown = services.cook(f"# {payload}\n\n> {payload}\n\n- [{payload}]({payload})")
    assert script_risks(html) == [], html
    assert script_risks(title_markdown) == [], title_markdown


def test_every_vector_is_escaped_on_the_board_and_topic_pages(app, make, login, forum, member, community):
    learner = member()
    make.enrolment(learner, community)
    authors = [member(display_name=payload[:80]) for payload in _payloads()]
    with app.app_context():
        board = db.session.get(Board, forum.board("integration").id)
        topic = services.create_topic(board, learner.id, "Vectors", "Opening post", utcnow())
        for index, payload in enumerate(_payloads()):
            poster = authors[index]
            services.reply(topic, poster.id, payload, utcnow())
            services.create_topic(board, poster.id, payload[:150], payload, utcnow())
        db.session.commit()
        topic_id, topic_slug = topic.id, topic.slug
    client = login(learner)

    pages = [client.get("/forum/integration/").get_data(as_text=True)]
    for page in (1, 2):
        pages.append(client.get(f"/forum/t/{topic_id}-{topic_slug}?page={page}").get_data(as_text=True))
    for topic_row in _topics(app):
        pages.append(client.get(topic_path(topic_row)).get_data(as_text=True))

    for page in pages:
        for body in re.findall(r'<div class="post-body">(.*?)</div>', page, re.DOTALL):
            assert script_risks(body) == [], body
        assert script_risks(page, whole_page=True) == []
    board_page = pages[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board_page  # a title shown as text


def test_a_preview_is_sanitised_too(make, login, member, community):
    learner = member()
    make.enrolment(learner, community)
    client = login(learner)
    for payload in _payloads():
        response = client.post("/forum/integration/new", data={"title": payload[:150], "body": payload,
                                                              "preview": "Preview"})
        page = response.get_data(as_text=True)
        preview = re.search(r'<div class="post-body">(.*?)</div>', page, re.DOTALL).group(1)
        assert script_risks(preview) == [] and script_risks(page, whole_page=True) == [], payload


def _topics(app) -> list[Topic]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Topic).where(Topic.title != "Vectors")).all()
        db.session.expunge_all()
    return rows


def test_the_stored_html_is_what_the_page_shows(app, login, forum, member, make, community):
    learner = member()
    make.enrolment(learner, community)
    topic = forum.topic("integration", learner, body="<b>bold?</b> [site](https://example.org)")
    with app.app_context():
        stored = db.session.scalar(sa.select(Post.body_html).where(Post.topic_id == topic.id))
    assert stored == (
        '<p>&lt;b&gt;bold?&lt;/b&gt; <a href="https://example.org" rel="nofollow ugc noopener">site</a></p>\n'
    )
    assert stored in login(learner).get(topic_path(topic)).get_data(as_text=True)
