"""The post-test: opening, shuffled papers, grading, attempts, forged and repeated submissions."""

import html
from decimal import Decimal

import pytest

from courseware.assessment import services, signals
from courseware.db import utcnow
from courseware.extensions import db
from tests.assessment.helpers import (
    EXPLANATIONS,
    QUESTIONS,
    answer_sheet,
    attempts,
    complete_lessons,
    post_test_course,
    ready_learner,
    shown_choices,
    shown_prompts,
)


@pytest.fixture
def course(make):
    return post_test_course(make)


@pytest.fixture
def learner(app, make, course, login):
    """(client logged in as a learner with every lesson complete, enrolment)."""
    user, enrolment = ready_learner(app, make, course)
    return login(user), enrolment


def _start(client, slug="integration"):
    response = client.post(f"/learn/{slug}/post-test")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _paper(app, enrolment, number=1) -> list[dict]:
    return attempts(app, enrolment.id)[number - 1].paper


@pytest.mark.parametrize("missing", [0, 1, 2])
def test_the_post_test_stays_closed_while_any_lesson_is_incomplete(app, make, course, login, missing):
    user = make.user()
    enrolment = make.enrolment(user, course)
    lessons = make.lessons(course)
    complete_lessons(app, enrolment, [lesson for index, lesson in enumerate(lessons) if index != missing])
    client = login(user)

    page = client.get("/learn/integration/post-test").get_data(as_text=True)
    start = client.post("/learn/integration/post-test", follow_redirects=True)

    assert "Complete every lesson first" in page
    assert "1 of 3 lessons is still to complete" in page
    assert f'href="/learn/integration/lesson-{missing + 1}">Lesson {missing + 1}</a>' in page
    assert page.count('href="/learn/integration/lesson-') == 1
    assert "Start attempt" not in page
    assert "The post-test opens when you have completed every lesson." in start.get_data(as_text=True)
    assert attempts(app, enrolment.id) == []


def test_the_overview_shows_the_pass_mark_and_attempts(learner):
    client, _enrolment = learner
    page = client.get("/learn/integration/post-test").get_data(as_text=True)
    assert "5 multiple-choice questions" in page and "Pass mark: 80%" in page
    assert "Attempts: 2 of 2 left" in page and "Start attempt 1 of 2" in page


def test_starting_opens_a_shuffled_paper_that_keeps_its_order_on_reload(app, learner):
    client, enrolment = learner

    response = _start(client)
    first = client.get("/learn/integration/post-test/1").get_data(as_text=True)
    again = client.get("/learn/integration/post-test/1").get_data(as_text=True)

    assert response.location.endswith("/learn/integration/post-test/1")
    paper = _paper(app, enrolment)
    assert shown_prompts(first) == [QUESTIONS[q["question"]]["prompt"] for q in paper]
    assert first == again
    for position, question in enumerate(paper, 1):
        assert shown_choices(first, position) == [text for _index, text in question["choices"]]


def test_single_and_multiple_answer_questions(app, learner):
    client, enrolment = learner
    _start(client)
    page = client.get("/learn/integration/post-test/1").get_data(as_text=True)
    position = next(p for p, q in enumerate(_paper(app, enrolment), 1) if q["multiple"])

    assert page.count('type="checkbox"') == 3 and page.count('type="radio"') == 3 + 2 + 3 + 2
    assert f'<p class="hint" id="q{position}-hint">Select all that apply.</p>' in page
    assert f'aria-describedby="q{position}-hint"' in page
    assert page.count("<fieldset") == 5 and page.count("<legend>") == 5


def test_the_answer_key_is_never_in_the_page_before_submission(app, learner):
    client, enrolment = learner
    _start(client)
    overview = client.get("/learn/integration/post-test").get_data(as_text=True)
    page = client.get("/learn/integration/post-test/1").get_data(as_text=True)
    paper = _paper(app, enrolment)

    for text in (overview, page):
        unescaped = html.unescape(text)
        assert not any(explanation in unescaped for explanation in EXPLANATIONS)
        assert "correct" not in unescaped.lower() and "answer_" not in unescaped
    # Choices are named by the order shown (1, 2, ...), never by their numbers in post-test.yaml.
    for position, question in enumerate(paper, 1):
        values = [f'name="q{position}" value="{n}"' for n in range(1, len(question["choices"]) + 1)]
        assert all(value in page for value in values)


def test_each_attempt_is_shuffled_anew(app, learner, monkeypatch):
    client, enrolment = learner
    seeds = iter([1, 2])
    monkeypatch.setattr(services.secrets, "randbits", lambda _bits: next(seeds))
    _start(client)
    client.post("/learn/integration/post-test/1", data=answer_sheet(_paper(app, enrolment), right=0))
    _start(client)

    first, second = (attempt.paper for attempt in attempts(app, enrolment.id))

    assert [q["question"] for q in first] != [q["question"] for q in second]
    assert sorted(q["question"] for q in first) == sorted(q["question"] for q in second) == [0, 1, 2, 3, 4]


def test_exactly_the_pass_mark_passes_and_announces_it(app, learner):
    client, enrolment = learner
    heard = []
    _start(client)

    with signals.post_test_passed.connected_to(lambda sender, **kw: heard.append((sender, kw))):
        response = client.post("/learn/integration/post-test/1",
                               data=answer_sheet(_paper(app, enrolment), right=4))
    page = html.unescape(client.get(response.location).get_data(as_text=True))

    (attempt,) = attempts(app, enrolment.id)
    assert (attempt.correct_count, attempt.score_percent, attempt.passed) == (4, Decimal("80.00"), True)
    assert attempt.submitted_at is not None and len(attempt.answers) == 5
    assert [(sender, kw["enrolment_id"]) for sender, kw in heard] == [(app, enrolment.id)]
    assert "Passed" in page and "Your score: 80%" in page and "4 of 5 questions correct" in page
    assert "Next: the course evaluation" in page
    assert attempt.paper[4]["explanation"] in page
    assert sum(explanation in page for explanation in EXPLANATIONS) == 1


def test_below_the_pass_mark_fails_and_shows_the_explanations_of_missed_questions(app, learner):
    client, enrolment = learner
    heard = []
    _start(client)

    with signals.post_test_passed.connected_to(lambda sender, **kw: heard.append(kw)):
        client.post("/learn/integration/post-test/1", data=answer_sheet(_paper(app, enrolment), right=3))
    page = html.unescape(client.get("/learn/integration/post-test/1").get_data(as_text=True))

    (attempt,) = attempts(app, enrolment.id)
    assert (attempt.correct_count, attempt.score_percent, attempt.passed) == (3, Decimal("60.00"), False)
    assert heard == []
    assert "Not passed" in page and "Your score: 60%" in page
    assert "You have 1 attempt left" in page and "Start attempt 2 of 2" in page
    missed = [QUESTIONS[q["question"]]["explanation"] for q in attempt.paper[3:]]
    assert all(explanation in page for explanation in missed)
    assert sum(explanation in page for explanation in EXPLANATIONS) == 2


def test_a_multiple_answer_question_needs_exactly_its_key(app, learner):
    client, enrolment = learner
    _start(client)
    paper = _paper(app, enrolment)
    form = answer_sheet(paper, right=5)
    position = next(p for p, q in enumerate(paper, 1) if q["multiple"])
    form[f"q{position}"] = form[f"q{position}"][:1]  # one of the two right choices only

    client.post("/learn/integration/post-test/1", data=form)

    (attempt,) = attempts(app, enrolment.id)
    assert attempt.correct_count == 4


def test_after_the_last_failed_attempt_the_learner_is_told_to_rewatch(app, learner):
    client, enrolment = learner
    for number in (1, 2):
        _start(client)
        client.post(f"/learn/integration/post-test/{number}",
                    data=answer_sheet(_paper(app, enrolment, number), right=1))

    third = client.post("/learn/integration/post-test", follow_redirects=True).get_data(as_text=True)
    result = client.get("/learn/integration/post-test/2").get_data(as_text=True)

    assert len(attempts(app, enrolment.id)) == 2
    assert "You have used all your post-test attempts" in third
    for page in (third, result):
        assert "You have used all your attempts" in page and "rewatch the lessons" in page
        assert "the instructor can allow you another attempt" in page
        assert all(f'href="/learn/integration/lesson-{n}">Lesson {n}</a>' in page for n in (1, 2, 3))
        assert "Start attempt" not in page


def test_a_granted_attempt_opens_one_more_start(app, make, learner):
    client, enrolment = learner
    for number in (1, 2):
        _start(client)
        paper = _paper(app, enrolment, number)
        client.post(f"/learn/integration/post-test/{number}", data=answer_sheet(paper, right=0))
    author = make.user(role="author")
    with app.app_context():
        row = db.session.get(type(enrolment), enrolment.id)
        services.grant_attempt(row, author.id, "Rewatched", utcnow())
        db.session.commit()

    page = client.get("/learn/integration/post-test").get_data(as_text=True)
    _start(client)
    fourth = client.post("/learn/integration/post-test", follow_redirects=True).get_data(as_text=True)

    assert "Start attempt 3 of 3" in page
    assert [attempt.number for attempt in attempts(app, enrolment.id)] == [1, 2, 3]
    assert "Post-test: attempt 3" in fourth and "Submit answers" in fourth


def test_starting_twice_returns_the_open_attempt(app, learner):
    client, enrolment = learner
    first = _start(client)
    second = _start(client)
    assert first.location == second.location
    assert len(attempts(app, enrolment.id)) == 1


def test_a_start_that_loses_the_race_falls_back_to_the_attempt_already_made(app, make, course):
    user, enrolment = ready_learner(app, make, course)
    with app.app_context():
        row = db.session.get(type(enrolment), enrolment.id)
        course_row = db.session.get(type(course), course.id)
        stale = services.post_test_status(row, course_row)  # both requests read "no attempt yet"
        mine = services.start_attempt(row, course_row, stale, utcnow(), seed=1)
        db.session.commit()
        theirs = services.start_attempt(row, course_row, stale, utcnow(), seed=2)
        db.session.commit()
        assert theirs.id == mine.id and theirs.number == 1
    assert len(attempts(app, enrolment.id)) == 1


def test_unanswered_questions_are_marked_and_ticked_answers_kept(app, learner):
    client, enrolment = learner
    _start(client)
    paper = _paper(app, enrolment)
    form = answer_sheet(paper, right=5)
    del form["q2"], form["q4"]

    response = client.post("/learn/integration/post-test/1", data=form)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Please answer the 2 questions marked below" in page
    assert page.count('<p class="error"') == 2
    assert 'id="q2-error"' in page and 'id="q4-error"' in page
    for position in (1, 3, 5):
        for value in form[f"q{position}"]:
            assert f'id="q{position}-{value}" name="q{position}" value="{value}" checked' in page
    assert page.count(" checked>") == sum(len(form[f"q{position}"]) for position in (1, 3, 5))
    assert attempts(app, enrolment.id)[0].submitted_at is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("q9", "1", "The answers name a question that is not in this attempt: “q9”."),
    ("question-1", "1", "The answers name a question that is not in this attempt: “question-1”."),
    ("q1", "7", "Question 1 has no choice “7”."),
    ("q1", "0", "Question 1 has no choice “0”."),
    ("q1", "x", "Question 1 has no choice “x”."),
])
def test_a_forged_answer_is_refused_and_nothing_is_graded(app, learner, field, value, message):
    client, enrolment = learner
    _start(client)
    form = answer_sheet(_paper(app, enrolment), right=5)
    form[field] = [value]

    response = client.post("/learn/integration/post-test/1", data=form)

    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert message in page and "Nothing was graded" in page
    (attempt,) = attempts(app, enrolment.id)
    assert attempt.submitted_at is None and attempt.answers is None and attempt.passed is None


def test_two_answers_to_a_single_answer_question_are_refused(app, learner):
    client, enrolment = learner
    _start(client)
    paper = _paper(app, enrolment)
    position = next(p for p, q in enumerate(paper, 1) if not q["multiple"])
    form = answer_sheet(paper, right=5)
    form[f"q{position}"] = ["1", "2"]

    response = client.post("/learn/integration/post-test/1", data=form)

    assert response.status_code == 400
    assert f"Question {position} takes one answer, but 2 were sent." in response.get_data(as_text=True)
    assert attempts(app, enrolment.id)[0].submitted_at is None


def test_a_double_submit_grades_once(app, learner):
    client, enrolment = learner
    _start(client)
    paper = _paper(app, enrolment)
    heard = []

    with signals.post_test_passed.connected_to(lambda sender, **kw: heard.append(kw)):
        first = client.post("/learn/integration/post-test/1", data=answer_sheet(paper, right=5))
        second = client.post("/learn/integration/post-test/1", data=answer_sheet(paper, right=0),
                             follow_redirects=True)

    assert first.status_code == 302
    assert "This attempt was already submitted: here is its result." in second.get_data(as_text=True)
    assert "Your score: 100%" in second.get_data(as_text=True)
    (attempt,) = attempts(app, enrolment.id)
    assert (attempt.correct_count, attempt.passed) == (5, True)
    assert len(heard) == 1


def test_the_guarded_update_grades_an_attempt_once(app, make, course):
    """Two submissions that both read the attempt as open: only the first UPDATE grades it."""
    _user, enrolment = ready_learner(app, make, course)
    with app.app_context():
        row = db.session.get(type(enrolment), enrolment.id)
        course_row = db.session.get(type(course), course.id)
        status = services.post_test_status(row, course_row)
        attempt = services.start_attempt(row, course_row, status, utcnow(), seed=3)
        db.session.commit()
        right = {str(q["question"]): q["answer"] for q in attempt.paper}
        assert services.submit_attempt(attempt, right, utcnow()) is True
        assert services.submit_attempt(attempt, {}, utcnow()) is False
        db.session.commit()
    (stored,) = attempts(app, enrolment.id)
    assert (stored.correct_count, stored.passed) == (5, True)


def test_after_passing_no_new_attempt_starts(app, learner):
    client, enrolment = learner
    _start(client)
    client.post("/learn/integration/post-test/1", data=answer_sheet(_paper(app, enrolment), right=5))

    page = client.post("/learn/integration/post-test", follow_redirects=True).get_data(as_text=True)

    assert "You have passed the post-test already." in page
    assert "You passed the post-test" in page and "See your result" in page
    assert len(attempts(app, enrolment.id)) == 1


def test_another_learners_attempt_is_not_found(app, make, course, learner, login):
    client, enrolment = learner
    _start(client)
    paper = _paper(app, enrolment)
    other, _other_enrolment = ready_learner(app, make, course)
    stranger = make.user()
    login(other)

    assert client.get("/learn/integration/post-test/1").status_code == 404
    assert client.post("/learn/integration/post-test/1", data=answer_sheet(paper, 5)).status_code == 404
    login(stranger)
    assert client.get("/learn/integration/post-test").status_code == 404
    assert client.get("/learn/integration/post-test/1").status_code == 404
    assert client.post("/learn/integration/post-test").status_code == 404
    assert attempts(app, enrolment.id)[0].submitted_at is None


def test_a_course_without_a_post_test_has_no_post_test_page(app, make, login):
    course = make.course(slug="tips", completion={"watch_percent": 90, "post_test": None})
    user, _enrolment = ready_learner(app, make, course)
    client = login(user)
    assert client.get("/learn/tips/post-test").status_code == 404
    assert client.post("/learn/tips/post-test").status_code == 404


def test_the_post_test_needs_a_login(client, course):
    response = client.get("/learn/integration/post-test")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_pages_run_a_constant_number_of_statements(app, learner, queries):
    client, enrolment = learner
    with queries() as overview:
        assert client.get("/learn/integration/post-test").status_code == 200
    _start(client)
    with queries() as open_attempt:
        assert client.get("/learn/integration/post-test/1").status_code == 200
    client.post("/learn/integration/post-test/1", data=answer_sheet(_paper(app, enrolment), right=1))
    with queries() as result:
        assert client.get("/learn/integration/post-test/1").status_code == 200
    for statements in (overview, open_attempt, result):
        assert len(statements) <= 8, "\n".join(statements)


def test_post_test_status_reads_attempts_and_grants_in_one_statement(app, make, course, queries):
    _user, enrolment = ready_learner(app, make, course)
    with app.app_context():
        row = db.session.get(type(enrolment), enrolment.id)
        course_row = db.session.get(type(course), course.id)
        services.grant_attempt(row, None, "", utcnow())
        first = services.start_attempt(row, course_row, services.post_test_status(row, course_row), utcnow())
        services.submit_attempt(first, {}, utcnow())
        db.session.commit()
        db.session.expunge_all()
        row = db.session.get(type(enrolment), enrolment.id)
        with queries() as statements:
            status = services.post_test_status(row, course_row)
        assert len(statements) == 1
        assert (status.passed, status.attempts_used, status.attempts_allowed) == (False, 1, 3)
        assert (status.best_score, status.passed_attempt, status.can_start) == (Decimal("0.00"), None, True)
        assert status.open_attempt_number is None and status.attempts_left == 2
        assert [attempt.number for attempt in services.attempts_for(enrolment.id)] == [1]
        assert services.post_test_status(row, make.course(completion={})) is None


def test_pass_mark_and_attempts_default_to_80_percent_and_two(app, make, login):
    course = post_test_course(make, slug="defaults", completion={"post_test": {}})
    user, enrolment = ready_learner(app, make, course)
    client = login(user)
    page = client.get("/learn/defaults/post-test").get_data(as_text=True)
    assert "Pass mark: 80%" in page and "Attempts: 2 of 2 left" in page


def test_a_course_without_live_lessons_keeps_the_post_test_closed(app, make, login):
    course = post_test_course(make, slug="empty", lessons=0)
    user = make.user()
    enrolment = make.enrolment(user, course)
    client = login(user)
    page = client.get("/learn/empty/post-test").get_data(as_text=True)
    client.post("/learn/empty/post-test")
    assert "The instructor has not published any lessons yet." in page and "Start attempt" not in page
    assert attempts(app, enrolment.id) == []
