"""Every vector of the shared corpus (tests/data/xss_vectors.json) typed where members type: as a
display name (the profile form), a topic title and its opening post, a reply and an @mention,
all through the real views; then the stored HTML and every page that shows them (topic, board,
search) are parsed as a browser parses them (html5lib) and must hold nothing that runs script."""

import re

import pytest
import sqlalchemy as sa
from bleach._vendor import html5lib  # bleach's own copy: the parser its sanitiser reads with
from markupsafe import escape

from courseware.extensions import db
from forum.models import Post
from tests.browser.xss_corpus import ALL_VECTORS as VECTORS

CHUNKS = 4
# What a learner's cooked post may hold (courseware/markdown.py's allow-list).
_POST_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "del", "s",
    "sup", "sub", "img",
}
# Never on one of our pages: none of them uses script, frames, plugins, inline styles or foreign XML.
_PAGE_FORBIDDEN = {
    "script", "iframe", "object", "embed", "base", "frame", "frameset", "applet", "portal", "style",
    "svg", "math", "template", "noscript", "xmp", "noembed", "param",
}
# The head's own tags (base.html); anywhere else they are injected.
_HEAD_ONLY = {"meta", "link", "title"}
_URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster", "background",
    "codebase", "cite", "lowsrc", "dynsrc", "ping", "srcset",
}
_SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
# What a browser ignores inside a URL's scheme: ASCII whitespace and controls, zero-width characters.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\u2060\ufeff]")


def script_risks(html: str, whole_page: bool) -> list[str]:
    """What could run script in `html`, parsed as a browser parses it (entities decoded)."""
    if whole_page:
        tree = html5lib.parse(html, namespaceHTMLElements=False)
        head = tree.find("head")
        elements, head_elements = list(tree.iter()), set(head.iter()) if head is not None else set()
    else:
        fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
        elements, head_elements = list(fragment.iter()), set()
    risks = []
    for element in elements:
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "DOCUMENT_FRAGMENT":
            continue
        if whole_page:
            if tag in _PAGE_FORBIDDEN or (tag in _HEAD_ONLY and element not in head_elements):
                risks.append(f"<{tag}>")
        elif tag not in _POST_TAGS:
            risks.append(f"<{tag}>")
        risks += _attribute_risks(tag, element.attrib)
    return risks


def _attribute_risks(tag: str, attributes: dict) -> list[str]:
    risks = []
    for raw_name, value in attributes.items():
        name = raw_name.rsplit("}", 1)[-1].lower()
        if raw_name.startswith("{http://www.w3.org/1999/xlink}"):
            name = f"xlink:{name}"
        if name.startswith("on") or name == "style":
            risks.append(f"{tag} {name}=")
        if name in _URL_ATTRIBUTES:
            url = _IGNORED_IN_SCHEME.sub("", value).lower()
            if name == "srcdoc" or url.startswith(_SCRIPT_SCHEMES):
                risks.append(f"{tag} {name}={value!r}")
    return risks


def test_the_corpus_is_big_and_varied():
    assert len(VECTORS) >= 100
    assert len({vector.name for vector in VECTORS}) == len(VECTORS)
    assert all(len(vector.payload) <= 80 for vector in VECTORS), "a display name holds 80 characters"
    for kind in ("script", "onerror", "javascript:", "data:", "vbscript:", "<svg", "<math", "](", "![",
                 "&#", "<iframe", "<object", "<embed", "<base", "<meta", "style=", "srcdoc", "formaction",
                 "@", "-->", "<noscript"):
        assert any(kind in vector.payload.lower() for vector in VECTORS), kind


def test_the_checker_sees_what_would_run():
    """The control: the checker reports what it must, so a clean result means something."""
    assert script_risks('<img src=x onerror="alert(1)">', whole_page=False) == ["img onerror="]
    assert script_risks('<a href=" &#106;ava&#x09;script:alert(1)">x</a>', whole_page=False) != []
    assert script_risks('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', whole_page=False) != []
    page = "<html><head><meta charset=utf-8></head><body><p>x</p><meta http-equiv=refresh></body></html>"
    assert script_risks(page, whole_page=True) == ["<meta>"]
    assert script_risks('<p style="color:red">x</p>', whole_page=True) == ["p style="]


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_no_vector_gets_through_the_forum_views(app, login, member, make, community, chunk):
    vectors = VECTORS[chunk::CHUNKS]
    posted = []
    for vector in vectors:
        client = login(member())
        posted.append((vector, _post_everything(client, vector.payload)))

    found: dict[str, list[str]] = {}
    with app.app_context():
        for post_id, html in db.session.execute(sa.select(Post.id, Post.body_html)):
            found[f"stored post {post_id}"] = script_risks(html, whole_page=False)
    for vector, topic_url in posted:
        page = client.get(topic_url).get_data(as_text=True)
        if "\n" not in vector.payload:  # title and poster's name, shown as text
            assert page.count(str(escape(vector.payload.strip()))) >= 2, vector.name
        found[f"{vector.name}: topic page"] = script_risks(page, whole_page=True)
        search = client.get("/forum/search", query_string={"q": vector.payload}).get_data(as_text=True)
        found[f"{vector.name}: search page"] = script_risks(search, whole_page=True)
    for page_number in range(1, 3):
        board = client.get(f"/forum/lounge/?page={page_number}").get_data(as_text=True)
        found[f"board page {page_number}"] = script_risks(board, whole_page=True)
    found["search for alert"] = script_risks(
        client.get("/forum/search?q=alert").get_data(as_text=True), whole_page=True
    )

    failures = {where: risks for where, risks in found.items() if risks}
    assert not failures, failures


def _post_everything(client, payload: str) -> str:
    """The payload as the member's display name, a topic's title and body, a reply and a mention;
    answers the topic's address."""
    profile = client.post("/me/profile", data={
        "display_name": payload, "legal_name": "", "credential": "", "credential_other": "",
        "time_zone": "America/Chicago",
    })
    assert profile.status_code == 302, payload
    created = client.post("/forum/lounge/new", data={"title": payload, "body": payload})
    assert created.status_code == 302, payload
    topic_url = created.location
    topic_id = re.search(r"/forum/t/(\d+)", topic_url).group(1)
    for body in (payload, f"@{payload} what do you think?\n\n> {payload}"):
        assert client.post(f"/forum/t/{topic_id}/reply", data={"body": body}).status_code == 302, payload
    return topic_url

