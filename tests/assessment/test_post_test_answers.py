"""post_test_answers: one row per question of each submitted attempt, for the studio's item analysis."""

from datetime import timedelta

import sqlalchemy as sa

from courseware.assessment.item_answers import answer_rows
from courseware.assessment.models import PostTestAnswer, PostTestAttempt
from courseware.db import utcnow
from courseware.extensions import db
from tests.assessment.helpers import QUESTIONS, answer_sheet, attempts, post_test_course, ready_learner

MULTIPLE = 1  # "Which are educational-model questions?": the key is choices 0 and 1 of three


def stored_answers(app, attempt_id: int) -> dict[int, PostTestAnswer]:
    with app.app_context():
        rows = db.session.scalars(sa.select(PostTestAnswer).where(PostTestAnswer.attempt_id == attempt_id))
        found = {row.question: row for row in rows}
        db.session.expunge_all()
        return found


def submit(client, paper, picks: dict[int, list[int]]):
    """Answer every question rightly except those in `picks` ({question index: choice indices})."""
    form = answer_sheet(paper, right=len(paper))
    for position, question in enumerate(paper, 1):
        if question["question"] in picks:
            shown = [index for index, _text in question["choices"]]
            form[f"q{position}"] = [str(shown.index(index) + 1) for index in picks[question["question"]]]
    return client.post("/learn/integration/post-test/1", data=form)


def test_submitting_stores_each_question_by_its_index_with_the_wrong_choices_as_shown(app, make, login):
    course = post_test_course(make)
    user, enrolment = ready_learner(app, make, course)
    client = login(user)
    client.post("/learn/integration/post-test")
    (attempt,) = attempts(app, enrolment.id)

    # A multi-select question half right (one key choice and one wrong one), the last one wrong.
    response = submit(client, attempt.paper, {MULTIPLE: [0, 2], 4: [1]})

    assert response.status_code == 302
    (attempt,) = attempts(app, enrolment.id)
    rows = stored_answers(app, attempt.id)
    assert sorted(rows) == [0, 1, 2, 3, 4]  # indices in post-test.yaml, not shuffled positions
    multiple = rows[MULTIPLE]
    assert (multiple.prompt, multiple.chosen, multiple.correct) == (QUESTIONS[1]["prompt"], [0, 2], False)
    assert multiple.wrong_choices == ["Diagnosis"]
    assert (rows[4].chosen, rows[4].correct, rows[4].wrong_choices) == ([1], False, ["The OT alone"])
    assert all(rows[index].correct and rows[index].wrong_choices == [] for index in (0, 2, 3))
    assert {(row.course_id, row.submitted_at) for row in rows.values()} == {(course.id, attempt.submitted_at)}
    assert attempt.correct_count == 3  # the rows agree with the grade


def test_a_second_submission_of_the_same_attempt_adds_no_rows(app, make, login):
    course = post_test_course(make)
    user, enrolment = ready_learner(app, make, course)
    client = login(user)
    client.post("/learn/integration/post-test")
    paper = attempts(app, enrolment.id)[0].paper

    submit(client, paper, {})
    submit(client, paper, {MULTIPLE: [2]})

    (attempt,) = attempts(app, enrolment.id)
    rows = stored_answers(app, attempt.id)
    assert len(rows) == 5 and all(row.correct for row in rows.values())


def test_an_attempt_stored_already_submitted_gets_its_rows_and_an_open_one_none(app, make):
    course = post_test_course(make)
    _user, enrolment = ready_learner(app, make, course)
    paper = [
        {"question": 2, "prompt": "", "choices": [[1, "Yes"], [0, "No"]], "multiple": False, "answer": [1]},
        {"question": 0, "prompt": "Pick", "choices": [[0, "A"], [1, "B"]], "multiple": True, "answer": [0]},
    ]
    with app.app_context():
        submitted = PostTestAttempt(
            enrolment_id=enrolment.id,
            number=1,
            course_revision=1,
            paper=paper,
            pass_percent=80,
            answers={"2": [0], "0": [0, 1]},
            submitted_at=utcnow() - timedelta(days=1),
            passed=False,
        )
        still_open = PostTestAttempt(
            enrolment_id=enrolment.id, number=2, course_revision=1, paper=paper, pass_percent=80
        )
        db.session.add_all([submitted, still_open])
        db.session.commit()
        ids = submitted.id, still_open.id

    rows = stored_answers(app, ids[0])
    assert {index: (row.chosen, row.correct, row.wrong_choices) for index, row in rows.items()} == {
        2: ([0], False, ["No"]),
        0: ([0, 1], False, ["B"]),
    }
    assert rows[2].prompt == ""  # the chart names it "Question 3"
    assert stored_answers(app, ids[1]) == {}


def test_a_blank_question_and_a_choice_the_paper_lacks_still_make_rows():
    paper = [
        {"question": 0, "prompt": "One", "choices": [[0, "A"], [1, "B"]], "multiple": False, "answer": [0]},
        {"question": 1, "prompt": "Two", "choices": [[0, "A"], [1, "B"]], "multiple": False, "answer": [1]},
    ]

    rows = answer_rows(paper, {"1": [7]})

    assert rows == [
        {"question": 0, "prompt": "One", "chosen": [], "correct": False, "wrong_choices": []},
        {"question": 1, "prompt": "Two", "chosen": [7], "correct": False, "wrong_choices": ["Choice 8"]},
    ]
