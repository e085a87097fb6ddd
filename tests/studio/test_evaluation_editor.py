"""The evaluation editor: who may use it, the default, editing, validation, locking, and the past kept."""

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.assessment.evaluation import DEFAULT_EVALUATION
from courseware.assessment.models import EvaluationResponse
from courseware.content.models import Course
from courseware.extensions import db
from courseware.markdown import render
from tests.assessment.helpers import completion, post_test_course, ready_learner
from tests.studio.helpers import VERSION_FIELD, assert_visitors_sign_in_and_members_get_403, page_text, reload

OWN = [
    {"key": "relevance", "prompt": "The content was relevant to my practice.", "type": "rating",
     "choices": [], "required": True},
    {"key": "format", "prompt": "Which format did you prefer?", "type": "choice",
     "choices": ["Video", "Reading"], "required": False},
]


@pytest.fixture
def course(make):
    """A course without a post-test, so its evaluation opens once the lessons are done."""
    return post_test_course(make, completion=completion(post_test=False))


def url(course) -> str:
    return f"/studio/courses/{course.slug}/evaluation"


def version_of(client, course) -> str:
    return VERSION_FIELD.search(client.get(url(course)).get_data(as_text=True)).group(1)


def evaluation_form(version: str, questions: list[dict], action: str = "save") -> dict:
    data = {"version": version, "action": action}
    for number, question in enumerate(questions, 1):
        data.update({f"q{number}-key": question["key"], f"q{number}-prompt": question["prompt"],
                     f"q{number}-type": question["type"]})
        data.update({f"q{number}-c{c}": text for c, text in enumerate(question["choices"], 1)})
        if question["required"]:
            data[f"q{number}-required"] = "y"
    return data


def save(client, course, questions: list[dict], action: str = "save"):
    return client.post(url(course), data=evaluation_form(version_of(client, course), questions, action))


def test_visitors_are_sent_to_sign_in_and_members_get_403(client, make, login, course):
    routes = [("GET", url(course)), ("POST", url(course))]
    assert_visitors_sign_in_and_members_get_403(client, login, make.user(), routes)
    login(make.user(role=Role.ADMIN))
    assert client.get(url(course)).status_code == 200
    assert client.get("/studio/courses/no-such-course/evaluation").status_code == 404


def test_a_course_without_its_own_evaluation_opens_with_the_default(client, author, course, queries):
    with queries() as statements:
        page = client.get(url(course))
    text = page_text(page)
    assert page.status_code == 200 and len(statements) <= 8
    assert "This course uses the platform's default evaluation" in text
    for question in DEFAULT_EVALUATION:
        assert f'value="{question["key"]}"' in text and question["prompt"] in text
    assert 'for="q1-key"' in text and 'for="q1-type"' in text and 'for="q1-required"' in text
    assert "Use the default evaluation instead" not in text


def test_saving_stores_what_sync_stores(app, client, author, course):
    before = reload(app, Course, course.id)
    response = save(client, course, OWN)
    assert response.status_code == 302 and response.location.endswith(url(course))
    after = reload(app, Course, course.id)
    assert after.evaluation == {"questions": [
        {**question, "prompt_html": render(question["prompt"], trusted=True)} for question in OWN]}
    assert after.revision == before.revision + 1
    text = page_text(client.get(url(course)))
    assert "Evaluation saved." in text and "Use the default evaluation instead" in text

    assert save(client, course, OWN, action="use-default").status_code == 302
    assert reload(app, Course, course.id).evaluation is None
    assert "The course now uses the platform's default evaluation." in page_text(client.get(url(course)))


def test_editing_buttons_keep_what_was_typed(client, author, course):
    text = page_text(client.post(url(course), data=evaluation_form("v", OWN, action="add-question")))
    assert "Which format did you prefer?" in text and 'id="q3-key"' in text
    text = page_text(client.post(url(course), data=evaluation_form("v", OWN, action="add-choice-2")))
    assert 'name="q2-c2" value="Reading"' in text and 'id="q2-c3"' in text
    text = page_text(client.post(url(course), data=evaluation_form("v", OWN, action="up-2")))
    assert text.index("Which format did you prefer?") < text.index("The content was relevant")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": "Format!"}, "q2-key",
         'Question 2: "Format!" must be lowercase letters, digits and underscores.'),
        ({"key": "relevance"}, "q2-key", 'Question 2: "relevance" is already used by question 1.'),
        ({"key": ""}, "q2-key", "Question 2: give the answers a key, like relevance."),
        ({"prompt": ""}, "q2-prompt", "Question 2: write the question."),
        ({"type": "stars"}, "q2-type", "Question 2: choose a type from the list."),
        ({"choices": ["Video"]}, "q2-choices", "Question 2: give at least 2 choices."),
        ({"choices": ["Video", ""]}, "q2-c2", "Choice 2 of question 2 is empty."),
        ({"key": "relevance_1", "type": "rating"}, "q2-key", None),
    ],
)
def test_a_wrong_field_gets_its_message_beside_it(app, client, author, course, change, field, message):
    questions = [dict(OWN[0]), {**OWN[1], **change}]
    if message is None:  # an objectives question answers under relevance_1, relevance_2, ...
        questions[0]["type"] = "objectives"
        message = ('Question 2: "relevance_1" is taken by the answers to the objectives question, '
                   "question 1.")
    response = save(client, course, questions)
    text = page_text(response)
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">{message}</p>' in text
    assert f'href="#{field}">{message}</a>' in text
    assert "Which format did you prefer?" in text or field == "q2-prompt"
    assert reload(app, Course, course.id).evaluation is None


def test_someone_elses_save_since_opening_is_a_409_that_keeps_the_input(app, client, author, course):
    opened = version_of(client, course)
    assert client.post(url(course), data=evaluation_form(opened, OWN)).status_code == 302
    mine = [{**OWN[0], "prompt": "My own wording"}]
    response = client.post(url(course), data=evaluation_form(opened, mine))
    text = page_text(response)
    assert response.status_code == 409 and "Someone else saved the evaluation" in text
    assert "My own wording" in text
    assert reload(app, Course, course.id).evaluation["questions"][0]["prompt"] == OWN[0]["prompt"]


def _evaluate(client, course, form: dict) -> None:
    response = client.post(f"/learn/{course.slug}/evaluation", data=form, follow_redirects=True)
    assert "Thank you: your evaluation is saved." in page_text(response)


def test_a_response_sent_before_an_edit_keeps_its_questions(app, client, make, login, course):
    author_user = make.user(role=Role.AUTHOR)
    login(author_user)
    assert save(client, course, OWN).status_code == 302
    learner, enrolment = ready_learner(app, make, course)
    login(learner)
    _evaluate(client, course, {"relevance": "5", "format": "2"})
    before = page_text(client.get(f"/learn/{course.slug}/evaluation"))

    login(author_user)
    new = [{**OWN[0], "key": "pace", "prompt": "The pace suited me."}]
    assert save(client, course, new).status_code == 302
    assert "Evaluation saved." in page_text(client.get(url(course)))  # the message is read here

    login(learner)
    after = page_text(client.get(f"/learn/{course.slug}/evaluation"))
    assert after == before and "Which format did you prefer?" in after and "The pace suited me." not in after
    with app.app_context():
        response = db.session.scalar(sa.select(EvaluationResponse).filter_by(enrolment_id=enrolment.id))
        assert [question["key"] for question in response.questions] == ["relevance", "format"]
        assert response.answers == {"relevance": 5, "format": "Reading"}

    other, _enrolment = ready_learner(app, make, course)
    login(other)
    form = page_text(client.get(f"/learn/{course.slug}/evaluation"))
    assert "The pace suited me." in form and "Which format did you prefer?" not in form
