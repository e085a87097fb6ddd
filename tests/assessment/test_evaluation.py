"""The course evaluation: when it opens, the default questions, required answers, stored once."""

import html

import pytest
import sqlalchemy as sa

from courseware.assessment import services, signals
from courseware.assessment.models import EvaluationResponse
from courseware.extensions import db
from tests.assessment.helpers import (
    OBJECTIVES,
    answer_sheet,
    attempts,
    complete_lessons,
    completion,
    post_test_course,
    ready_learner,
)

ANSWERS = {"objective_1": "5", "objective_2": "4", "relevance": "5", "instructor": "4", "level": "3",
           "hours": "1.5", "comments": "Loved the classroom examples."}


def answers(**changes) -> dict:
    """A fresh form dict each time: the test client adds its CSRF token to the dict it is given."""
    return {**ANSWERS, **changes}


@pytest.fixture
def course(make):
    return post_test_course(make)


@pytest.fixture
def learner(app, make, course, login):
    """(client, enrolment) of a learner who completed every lesson and passed the post-test."""
    user, enrolment = ready_learner(app, make, course)
    client = login(user)
    client.post("/learn/integration/post-test")
    client.post("/learn/integration/post-test/1", data=answer_sheet(attempts(app, enrolment.id)[0].paper, 5))
    return client, enrolment


def _responses(app) -> list[EvaluationResponse]:
    with app.app_context():
        rows = db.session.scalars(sa.select(EvaluationResponse)).all()
        db.session.expunge_all()
        return list(rows)


def test_the_evaluation_waits_for_the_lessons_then_the_post_test(app, make, course, login):
    user = make.user()
    enrolment = make.enrolment(user, course)
    lessons = make.lessons(course)
    complete_lessons(app, enrolment, lessons[:2])
    client = login(user)

    lessons_missing = client.get("/learn/integration/evaluation").get_data(as_text=True)
    refused = client.post("/learn/integration/evaluation", data=answers())
    complete_lessons(app, enrolment, lessons[2:])
    post_test_missing = client.get("/learn/integration/evaluation").get_data(as_text=True)

    assert "Complete every lesson first" in lessons_missing
    assert 'href="/learn/integration/lesson-3">Lesson 3</a>' in lessons_missing
    assert "Submit evaluation" not in lessons_missing
    assert refused.status_code == 302 and _responses(app) == []
    assert "Pass the post-test first" in post_test_missing
    assert 'href="/learn/integration/post-test"' in post_test_missing
    assert "Submit evaluation" not in post_test_missing


def test_without_a_post_test_the_evaluation_opens_after_the_lessons(app, make, login):
    course = make.course(slug="tips", completion=completion(post_test=False), objectives=OBJECTIVES)
    user, _enrolment = ready_learner(app, make, course)
    page = login(user).get("/learn/tips/evaluation").get_data(as_text=True)
    assert "Submit evaluation" in page and "required for your certificate" in page


def test_the_default_evaluation_asks_about_each_objective(learner):
    client, _enrolment = learner
    page = html.unescape(client.get("/learn/integration/evaluation").get_data(as_text=True))

    for number, objective in enumerate(OBJECTIVES, 1):
        assert f"The course met this objective: {objective}" in page
        assert f'name="objective_{number}" value="5"' in page
    for prompt in ("The content was relevant to my practice.",
                   "The instructor was effective in presenting the content.",
                   "The content and its level were appropriate for the course as described.",
                   "How many hours did it take you to complete this course?",
                   "Comments and suggestions for the instructor"):
        assert prompt in page
    # Five ratings (two objectives and three statements), each a fieldset of labelled radio buttons.
    assert page.count('<fieldset class="question rating-question"') == 5 and page.count("<legend>") == 5
    assert page.count('type="radio"') == 25
    number = '<span class="rating-number">{}</span>'
    assert f'<label for="ev-relevance-1">{number.format(1)} Strongly disagree</label>' in page
    assert f'<label for="ev-relevance-5">{number.format(5)} Strongly agree</label>' in page
    assert '<label for="ev-hours">' in page and '<label for="ev-comments">' in page


def test_an_evaluation_is_stored_once_with_the_questions_as_asked(app, learner):
    client, enrolment = learner
    heard = []

    with signals.evaluation_submitted.connected_to(lambda sender, **kw: heard.append((sender, kw))):
        first = client.post("/learn/integration/evaluation", data=answers(), follow_redirects=True)
        second = client.post("/learn/integration/evaluation", data=answers(relevance="1"),
                             follow_redirects=True)

    (response,) = _responses(app)
    assert response.enrolment_id == enrolment.id
    assert response.answers == {"objective_1": 5, "objective_2": 4, "relevance": 5, "instructor": 4,
                                "level": 3, "hours": "1.5", "comments": "Loved the classroom examples."}
    assert [q["key"] for q in response.questions] == [
        "objective_1", "objective_2", "relevance", "instructor", "level", "hours", "comments"]
    assert response.questions[0]["prompt"] == f"The course met this objective: {OBJECTIVES[0]}"
    assert [(sender, kw["enrolment_id"]) for sender, kw in heard] == [(app, enrolment.id)]
    assert "Thank you: your evaluation is saved." in first.get_data(as_text=True)
    assert "You already submitted the evaluation for this course. Nothing was changed." in (
        second.get_data(as_text=True))
    with app.app_context():
        assert services.evaluation_done(enrolment.id) is True
        assert services.find_evaluation(enrolment.id).answers["relevance"] == 5
        assert services.evaluation_done(enrolment.id + 1) is False


def test_required_questions_left_blank_are_marked_and_answers_kept(app, learner):
    client, _enrolment = learner
    sent = answers(objective_2="", hours="", comments="Keep this")
    del sent["relevance"]

    response = client.post("/learn/integration/evaluation", data=sent)
    page = response.get_data(as_text=True)

    assert response.status_code == 200 and _responses(app) == []
    assert "Please correct the 3 errors below." in page
    assert page.count('<p class="error"') == 3
    assert '<p class="error" id="ev-objective_2-error">Choose a rating for this statement.</p>' in page
    assert '<p class="error" id="ev-relevance-error">Choose a rating for this statement.</p>' in page
    assert '<p class="error" id="ev-hours-error">Enter a number.</p>' in page
    assert 'name="objective_1" value="5" checked' in page and "Keep this</textarea>" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("hours", "101", "Enter a number from 0 to 100, for example 1.5."),
    ("hours", "-1", "Enter a number from 0 to 100, for example 1.5."),
    ("hours", "NaN", "Enter a number from 0 to 100, for example 1.5."),
    ("hours", "two", "Enter a number from 0 to 100, for example 1.5."),
    ("hours", "1.125", "Use at most two decimals, for example 1.25."),
    ("relevance", "6", "Choose one of the five ratings, from Strongly disagree to Strongly agree."),
    ("comments", "x" * 2001, "Please keep this to 2,000 characters or fewer: it has 2,001."),
])
def test_bad_answers_get_a_clear_message_beside_the_question(app, learner, field, value, message):
    client, _enrolment = learner
    response = client.post("/learn/integration/evaluation", data=answers(**{field: value}))
    page = html.unescape(response.get_data(as_text=True))
    assert f'<p class="error" id="ev-{field}-error">{message}</p>' in page
    assert _responses(app) == []


def test_an_optional_question_may_be_left_blank_and_hours_take_decimals(app, learner):
    client, _enrolment = learner
    client.post("/learn/integration/evaluation", data=answers(comments="  ", hours="6.75"))
    (response,) = _responses(app)
    assert "comments" not in response.answers and response.answers["hours"] == "6.75"


def test_a_course_evaluation_file_with_objectives_and_number_questions(app, make, login):
    evaluation = {"questions": [
        {"key": "met", "prompt": "This objective was met:", "type": "objectives", "choices": [],
         "required": True},
        {"key": "format", "prompt": "Which format did you prefer?", "type": "choice",
         "choices": ["Video", "Reading"], "required": False},
        {"key": "minutes", "prompt": "Minutes spent on the handouts", "type": "number", "choices": [],
         "required": True},
    ]}
    course = make.course(slug="own-your-role", completion=completion(post_test=False), objectives=OBJECTIVES,
                         evaluation=evaluation)
    user, _enrolment = ready_learner(app, make, course)
    client = login(user)

    page = html.unescape(client.get("/learn/own-your-role/evaluation").get_data(as_text=True))
    too_many = client.post("/learn/own-your-role/evaluation",
                           data={"met_1": "4", "met_2": "5", "minutes": "1000.5"}).get_data(as_text=True)
    client.post("/learn/own-your-role/evaluation", data={"met_1": "4", "met_2": "5", "format": "2",
                                                         "minutes": "1000"})

    assert f"This objective was met: {OBJECTIVES[1]}" in page and "Relevance" not in page
    assert "A number from 0 to 1000; decimals are fine." in page
    assert "Enter a number from 0 to 1000, for example 1.5." in html.unescape(too_many)
    (response,) = _responses(app)
    assert response.answers == {"met_1": 4, "met_2": 5, "format": "Reading", "minutes": "1000"}


def test_the_evaluation_is_404_for_others_and_a_login_is_needed(app, make, course, client, login):
    assert client.get("/learn/integration/evaluation").status_code == 302
    login(make.user())
    assert client.get("/learn/integration/evaluation").status_code == 404
    assert client.post("/learn/integration/evaluation", data=answers()).status_code == 404


def test_the_evaluation_page_runs_a_constant_number_of_statements(learner, queries):
    client, _enrolment = learner
    with queries() as form_page:
        assert client.get("/learn/integration/evaluation").status_code == 200
    client.post("/learn/integration/evaluation", data=answers())
    with queries() as thanks_page:
        page = client.get("/learn/integration/evaluation").get_data(as_text=True)
    assert "You submitted your evaluation on" in page
    assert "<dd>5: Strongly agree</dd>" in page and "<dd>1.5</dd>" in page
    assert len(form_page) <= 8 and len(thanks_page) <= 8, (form_page, thanks_page)
