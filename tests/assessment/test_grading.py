"""The pure parts: shuffling a paper, reading an answer sheet, grading, reading an evaluation."""

from decimal import Decimal

import pytest

from courseware.assessment import evaluation, grading
from tests.assessment.helpers import QUESTIONS


def _right_answers(paper: list[dict]) -> dict[str, list[int]]:
    return {str(question["question"]): question["answer"] for question in paper}


def test_a_paper_is_a_stable_shuffle_of_every_question_and_choice():
    paper = grading.make_paper(QUESTIONS, seed=7)

    assert grading.make_paper(QUESTIONS, seed=7) == paper
    assert sorted(question["question"] for question in paper) == [0, 1, 2, 3, 4]
    for question in paper:
        source = QUESTIONS[question["question"]]
        assert sorted(question["choices"]) == [[i, text] for i, text in enumerate(source["choices"])]
        assert (question["answer"], question["multiple"]) == (source["answer"], source["multiple"])


def test_papers_differ_between_seeds():
    orders = {tuple(q["question"] for q in grading.make_paper(QUESTIONS, seed)) for seed in range(20)}
    papers = [grading.make_paper(QUESTIONS, seed) for seed in range(20)]
    choice_orders = {tuple(map(tuple, paper[0]["choices"])) for paper in papers}
    assert len(orders) > 10 and len(choice_orders) > 1


@pytest.mark.parametrize(("right", "pass_percent", "score", "passed"), [
    (5, 80, "100.00", True),
    (4, 80, "80.00", True),   # exactly the pass mark passes
    (3, 80, "60.00", False),
    (3, 60, "60.00", True),
    (0, 80, "0.00", False),
])
def test_grade(right, pass_percent, score, passed):
    paper = grading.make_paper(QUESTIONS, seed=1)
    answers = _right_answers(paper)
    for question in paper[right:]:
        answers[str(question["question"])] = [0 if question["answer"] != [0] else 1]

    result = grading.grade(paper, answers, pass_percent)

    assert result == grading.Grade(right, 5, Decimal(score), passed)


def test_a_rounded_score_never_turns_a_pass_into_a_fail():
    paper = grading.make_paper(QUESTIONS[:3], seed=1)
    answers = _right_answers(paper)
    answers[str(paper[0]["question"])] = []
    # 2 of 3 is 66.666...%: stored as 66.66, and a pass mark of 67 is not reached.
    assert grading.grade(paper, answers, 67) == grading.Grade(2, 3, Decimal("66.66"), False)
    assert grading.grade(paper, answers, 66).passed is True


def test_read_answers_maps_shown_positions_back_to_the_course_numbers():
    paper = grading.make_paper(QUESTIONS, seed=3)
    first = paper[0]
    form = {"csrf_token": ["t"], "q1": ["1"]}

    sheet = grading.read_answers(paper, form)

    assert sheet.answers == {str(first["question"]): [first["choices"][0][0]]}
    assert sheet.unanswered == [question["question"] for question in paper[1:]]


@pytest.mark.parametrize("form", [{"q6": ["1"]}, {"q0": ["1"]}, {"answer": ["1"]}, {"q1": ["9"]},
                                  {"q1": ["-1"]}, {"q1": [""]}, {"q1": ["²"]}, {"q1": ["1" * 50]}])
def test_read_answers_refuses_what_no_form_sends(form):
    paper = grading.make_paper(QUESTIONS, seed=3)
    with pytest.raises(grading.ForgedAnswer):
        grading.read_answers(paper, form)


def test_the_default_evaluation_asks_one_rating_per_objective():
    questions = evaluation.questions_as_asked(None, ["Describe A.", "Plan B."])
    assert [(q["key"], q["type"]) for q in questions] == [
        ("objective_1", "rating"), ("objective_2", "rating"), ("relevance", "rating"),
        ("instructor", "rating"), ("level", "rating"), ("hours", "number"), ("comments", "text"),
    ]
    assert questions[1]["prompt"] == "The course met this objective: Plan B."
    assert evaluation.number_maximum(questions[5]) == 100


@pytest.mark.parametrize(("raw", "stored"), [("1.5", "1.5"), ("2", "2"), ("0", "0"), ("1.50", "1.5"),
                                             ("100", "100"), ("0.25", "0.25")])
def test_hours_are_stored_as_exact_decimals(raw, stored):
    questions = [q for q in evaluation.questions_as_asked(None, []) if q["key"] == "hours"]
    sheet = evaluation.read_evaluation_answers(questions, {"hours": raw})
    assert sheet.answers == {"hours": stored} and sheet.errors == {}


def test_control_characters_are_stripped_from_text_answers():
    questions = [q for q in evaluation.questions_as_asked(None, []) if q["key"] == "comments"]
    sheet = evaluation.read_evaluation_answers(questions, {"comments": "Good\x00 course\x07"})
    assert sheet.answers == {"comments": "Good course"}
