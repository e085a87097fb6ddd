"""The lesson editor: who may use it, the outline, editing, drafts, validation, locking, preview."""

import re

import pytest
import sqlalchemy as sa

from courseware.content.models import Course, Lesson
from courseware.extensions import db
from courseware.markdown import render
from courseware.studio import editor
from courseware.studio.models import LessonRevision
from tests.studio.helpers import assert_visitors_sign_in_and_members_get_403, reload

_VERSION = re.compile(r'name="version" type="hidden" value="([^"]*)"')


# Helpers the other editor test modules share.


def edit_url(course, lesson) -> str:
    return f"/studio/courses/{course.slug}/lessons/{lesson.id}/edit"


def open_editor(client, course, lesson) -> str:
    """The version the form carries when the editor is opened now."""
    page = client.get(edit_url(course, lesson))
    assert page.status_code == 200
    return _VERSION.search(page.get_data(as_text=True)).group(1)


def lesson_form(version: str, action: str = "save_draft", **fields) -> dict:
    data = {
        "title": "Lesson 1",
        "body": "New text.",
        "duration_seconds": "60",
        "credit_minutes": "",
        "publish_at": "",
        "note": "",
        "version": version,
        action: "y",
    }
    data.update(fields)
    return data


def save(client, course, lesson, action: str = "save_draft", **fields):
    version = open_editor(client, course, lesson)
    return client.post(edit_url(course, lesson), data=lesson_form(version, action, **fields))


def revisions_of(app, lesson) -> list[LessonRevision]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(LessonRevision)
            .where(LessonRevision.lesson_id == lesson.id)
            .order_by(LessonRevision.number)
        ).all()
        db.session.expunge_all()
        return list(rows)


# Permissions: every route, GET and POST.


def _routes(course, lesson, module_id) -> list[tuple[str, str]]:
    base = f"/studio/courses/{course.slug}"
    return [
        ("GET", f"{base}/lessons"),
        ("GET", f"{base}/lessons/{lesson.id}/edit"),
        ("POST", f"{base}/lessons/{lesson.id}/edit"),
        ("GET", f"{base}/modules/{module_id}/lessons/new"),
        ("POST", f"{base}/modules/{module_id}/lessons/new"),
        ("GET", f"{base}/lessons/{lesson.id}/revisions"),
        ("GET", f"{base}/lessons/{lesson.id}/revisions/1"),
        ("POST", f"{base}/lessons/{lesson.id}/revisions/1/restore"),
        ("POST", "/studio/preview"),
    ]


def test_visitors_are_sent_to_sign_in_and_members_get_403_on_every_route(client, make, login, course):
    lesson = make.lessons(course)[0]
    # A script (JSON) is told its session ended, as the player's heartbeat is.
    assert client.post("/studio/preview", json={"body": "x"}).status_code == 401
    routes = _routes(course, lesson, lesson.module_id)
    assert_visitors_sign_in_and_members_get_403(client, login, make.user(), routes)
    assert client.post("/studio/preview", json={"body": "x"}).status_code == 403


# The outline.


def test_the_outline_lists_modules_and_lessons_with_their_status(app, client, author, course, make, queries):
    first, second, third = make.lessons(course)
    with app.app_context():
        db.session.get(Lesson, second.id).status = "draft"
        db.session.get(Lesson, third.id).retired_at = db.func.now()
        db.session.commit()
    save(client, course, first, body="A draft of lesson one.")

    with queries() as statements:
        page = client.get(f"/studio/courses/{course.slug}/lessons")
    html = page.get_data(as_text=True)

    assert page.status_code == 200 and len(statements) <= 8
    assert "Module one" in html and "Lesson 1" in html and "Lesson 2" in html
    assert "Published" in html and "Unpublished changes" in html and "Draft" in html and "Retired" in html
    assert f'href="{edit_url(course, first)}"' in html and f'href="{edit_url(course, third)}"' not in html
    assert f"/studio/courses/{course.slug}/modules/{first.module_id}/lessons/new" in html
    assert client.get("/studio/courses/no-such-course/lessons").status_code == 404


def test_the_studio_home_links_each_course_to_its_lessons(client, author, course):
    assert f'href="/studio/courses/{course.slug}/lessons"' in client.get("/studio/").get_data(as_text=True)


# Opening the editor.


def test_the_editor_shows_the_lesson_in_labelled_fields(app, client, author, course, make, queries):
    lesson = make.lessons(course)[0]
    with app.app_context():
        db.session.get(Lesson, lesson.id).body_md = "## Key points\n\nYou are *not* the expert."
        db.session.commit()

    with queries() as statements:
        page = client.get(edit_url(course, lesson))
    html = page.get_data(as_text=True)

    assert page.status_code == 200 and len(statements) <= 8
    for field, label in [
        ("title", "Title"),
        ("body", "Lesson text (markdown)"),
        ("duration_seconds", "Video length in seconds"),
        ("credit_minutes", "Credit minutes"),
        ("preview", "Free preview"),
        ("publish_at", "Publish at"),
        ("note", "Note for the history"),
    ]:
        assert f'for="{field}"' in html and label in html, field
    assert "You are *not* the expert." in html  # the markdown, in the textarea
    assert 'id="lesson-preview"' in html and "js/preview.js" in html
    for action in ("Preview", "Save draft", "Publish now", "Schedule"):
        assert f">{action}</button>" in html


def test_a_lesson_of_another_course_or_an_unknown_one_is_404(client, author, course, make):
    other = make.course()
    foreign = make.lessons(other)[0]
    assert client.get(edit_url(course, foreign)).status_code == 404
    assert client.get(f"/studio/courses/{course.slug}/lessons/{foreign.id}/revisions").status_code == 404
    assert client.post(edit_url(course, foreign), data={}).status_code == 404
    assert client.get(f"/studio/courses/{course.slug}/lessons/2147483648/edit").status_code == 404
    assert (
        client.get(f"/studio/courses/{course.slug}/modules/{foreign.module_id}/lessons/new").status_code
        == 404
    )


def test_a_retired_lesson_cannot_be_edited_but_its_history_opens(app, client, author, course, make):
    lesson = make.lessons(course)[0]
    with app.app_context():
        db.session.get(Lesson, lesson.id).retired_at = db.func.now()
        db.session.commit()
    assert client.get(edit_url(course, lesson)).status_code == 404
    assert client.get(f"/studio/courses/{course.slug}/lessons/{lesson.id}/revisions").status_code == 200


# Drafts.


def test_a_draft_is_a_revision_and_learners_keep_the_published_text(app, client, author, course, make, login):
    lesson = make.lessons(course)[0]

    response = save(client, course, lesson, body="## Reframing\n\nA *draft* sentence.", note="first pass")

    assert response.status_code == 302
    (revision,) = revisions_of(app, lesson)
    assert (revision.number, revision.status, revision.note) == (1, "draft", "first pass")
    assert revision.author_id == author.id and revision.body_md == "## Reframing\n\nA *draft* sentence."
    assert reload(app, Lesson, lesson.id).body_html == "<p>Lesson 1 text.</p>"
    html = client.get(edit_url(course, lesson)).get_data(as_text=True)
    assert "A *draft* sentence." in html and "unpublished draft" in html
    assert "<em>draft</em>" in html  # the preview pane shows the draft as rendered at save
    learner = make.user()
    make.enrolment(learner, course)
    login(learner)
    player = client.get(f"/learn/{course.slug}/{lesson.slug}").get_data(as_text=True)
    assert "Lesson 1 text." in player and "draft sentence" not in player


def test_a_draft_of_a_lesson_never_published_is_kept_on_its_row_too(app, client, author, course, make):
    lesson = make.lessons(course)[0]
    with app.app_context():
        db.session.get(Lesson, lesson.id).status = "draft"
        db.session.commit()

    save(client, course, lesson, title="Not the Expert", body="Draft *text*.", credit_minutes="5")

    row = reload(app, Lesson, lesson.id)
    assert (row.title, row.body_md, row.body_html) == (
        "Not the Expert",
        "Draft *text*.",
        "<p>Draft <em>text</em>.</p>\n",
    )
    assert (row.status, row.credit_minutes_declared) == ("draft", 5)


# Validation: errors beside the field, and what was typed stays.


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Give the lesson a title."),
        ({"duration_seconds": "abc"}, "Enter a whole number, like 90."),
        ({"duration_seconds": ""}, "Enter the video&#39;s length in seconds."),
        ({"duration_seconds": "0"}, "Between 1 and 86,400 seconds."),
        ({"credit_minutes": "-5"}, "Between 0 and 6,000 minutes."),
        ({"credit_minutes": "99999999999999999999"}, "Between 0 and 6,000 minutes."),
        ({"body": "x" * 200_001}, "The text is too long"),
        ({"publish_at": "", "schedule": "y", "save_draft": ""}, "Choose the date and time to publish at."),
        ({"publish_at": "next tuesday", "schedule": "y", "save_draft": ""}, "Not a valid datetime value."),
    ],
)
def test_bad_input_is_refused_beside_its_field(app, client, author, course, make, fields, message):
    lesson = make.lessons(course)[0]
    typed = {"body": "My **typed** text that must survive.", **fields}

    response = save(client, course, lesson, **typed)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'class="error"' in html
    if len(typed["body"]) < 1000:
        assert typed["body"] in html
    assert revisions_of(app, lesson) == []


def test_a_reading_lesson_has_no_video_length(app, client, author, make):
    course = make.course(video=False)
    lesson = make.lessons(course)[0]
    response = save(client, course, lesson, duration_seconds="30")
    assert response.status_code == 400
    assert "Only a lesson with a video has a length" in response.get_data(as_text=True)
    assert save(client, course, lesson, duration_seconds="").status_code == 302


def test_a_form_without_the_csrf_token_is_refused(client, author, course, make):
    lesson = make.lessons(course)[0]
    version = open_editor(client, course, lesson)
    response = client.post(edit_url(course, lesson), data=lesson_form(version), csrf=False)
    assert response.status_code == 400


# Optimistic locking.


def test_a_save_after_someone_else_saved_is_refused_with_a_diff_and_keeps_the_text(
    app, client, author, course, make
):
    lesson = make.lessons(course)[0]
    opened_at = open_editor(client, course, lesson)
    # Someone else, from another tab, saves first.
    client.post(edit_url(course, lesson), data=lesson_form(opened_at, body="Their line.\nShared line."))

    mine = lesson_form(opened_at, body="My <script>alert(1)</script> line.\nShared line.")
    response = client.post(edit_url(course, lesson), data=dict(mine))

    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this lesson after you opened it" in html and "Nothing was saved" in html
    assert '<del class="diff-line">Their line.</del>' in html
    assert '<ins class="diff-line">My &lt;script&gt;alert(1)&lt;/script&gt; line.</ins>' in html
    assert "<script>alert(1)" not in html
    assert "My &lt;script&gt;alert(1)&lt;/script&gt; line." in html.split('name="body"')[1][:400]
    assert [r.body_md for r in revisions_of(app, lesson)] == ["Their line.\nShared line."]
    # Having seen the diff, saving again from the re-sent form replaces their draft.
    again = _VERSION.search(html).group(1)
    assert again != opened_at
    assert (
        client.post(edit_url(course, lesson), data=lesson_form(again, body="Mine after all.")).status_code
        == 302
    )
    assert [r.body_md for r in revisions_of(app, lesson)][-1] == "Mine after all."


def test_a_form_without_its_version_is_a_conflict_not_a_silent_overwrite(client, author, course, make):
    lesson = make.lessons(course)[0]
    assert client.post(edit_url(course, lesson), data=lesson_form("")).status_code == 409


# Preview without JavaScript, and the live preview's JSON endpoint.


def test_the_preview_button_renders_the_text_without_saving(app, client, author, course, make):
    lesson = make.lessons(course)[0]
    body = "## Heading\n\n<script>alert(1)</script>\n\n**Bold** move"

    response = save(client, course, lesson, action="show_preview", body=body)

    html = response.get_data(as_text=True)
    preview = html.split('id="lesson-preview">')[1].split("</div>")[0]
    assert response.status_code == 200
    assert preview == render(body, trusted=True)
    assert "<h2>Heading</h2>" in preview and "<strong>Bold</strong>" in preview and "<script" not in preview
    assert revisions_of(app, lesson) == []


def test_the_live_preview_answers_what_learners_would_see(client, author):
    body = "## Heading\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n- one\n- two"
    response = client.post("/studio/preview", json={"body": body})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert html == render(body, trusted=True)
    assert "<h2>Heading</h2>" in html and "<li>one</li>" in html
    assert "<script" not in html and "onerror" not in html


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": None}, {"body": 12}, {"text": "x"}, ["body"], "body"],
)
def test_the_live_preview_refuses_a_missing_or_wrong_body_with_400_json(client, author, payload):
    response = client.post("/studio/preview", json=payload)
    assert response.status_code == 400
    assert "body" in response.get_json()["message"]


def test_the_live_preview_refuses_bad_json_and_a_missing_token(client, author):
    token = client.csrf_token()
    bad = client.post(
        "/studio/preview", data="{not json", content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert bad.status_code == 400 and bad.get_json()["message"]
    unsigned = client.post("/studio/preview", json={"body": "x"}, csrf=False)
    assert unsigned.status_code == 400 and unsigned.is_json


def test_the_live_preview_refuses_a_text_too_long_with_413_json(client, author):
    response = client.post("/studio/preview", json={"body": "x" * 200_001})
    assert response.status_code == 413
    assert "too long" in response.get_json()["message"]
    huge = client.post("/studio/preview", json={"body": "x" * 500_000})
    assert huge.status_code == 413 and "too long" in huge.get_json()["message"]


def test_the_course_row_is_unchanged_by_drafts(app, client, author, course, make):
    lesson = make.lessons(course)[0]
    save(client, course, lesson, body="Only a draft.")
    assert reload(app, Course, course.id).revision == course.revision


def test_two_saves_that_pass_the_version_check_together_collide_on_the_revision_number(
    app, client, author, course, make, monkeypatch
):
    """Two requests can both read the same version before either writes: the unique revision
    number refuses the second, which gets the conflict page, not a 500."""
    lesson = make.lessons(course)[0]
    opened_at = open_editor(client, course, lesson)
    client.post(edit_url(course, lesson), data=lesson_form(opened_at, body="The first save."))
    # The second request read the lesson before the first wrote: no revision yet, the same version.
    read_before = editor.editor_state

    def state_read_before_the_first_save(course_row, lesson_id):
        state = read_before(course_row, lesson_id)
        state.latest = None
        return state

    monkeypatch.setattr(editor, "editor_state", state_read_before_the_first_save)
    state_of_the_race = lesson_form(opened_at, body="The second save.")

    response = client.post(edit_url(course, lesson), data=state_of_the_race)

    assert response.status_code == 409
    assert "Someone else saved this lesson after you opened it" in response.get_data(as_text=True)
    assert [r.body_md for r in revisions_of(app, lesson)] == ["The first save."]


def test_new_lesson_pages_run_few_statements(client, author, course, make, queries):
    module_id = make.lessons(course)[0].module_id
    url = f"/studio/courses/{course.slug}/modules/{module_id}/lessons/new"
    with queries() as opening:
        assert client.get(url).status_code == 200
    data = {**lesson_form("", duration_seconds=""), "slug": "counted"}
    with queries() as saving:
        assert client.post(url, data=data).status_code == 302
    assert len(opening) <= 8 and len(saving) <= 8
