"""evaluation.yaml's `number` and `objectives` question types."""

from courseware.content.parsing import parse_courses

EV = "own-your-role/evaluation.yaml"
COURSE = "courses/own-your-role"

WITH_NEW_TYPES = """\
questions:
  - key: met
    prompt: The course met this objective
    type: objectives
  - key: hours
    prompt: How many hours did the course take you?
    type: number
  - key: comments
    prompt: Comments
    type: text
    required: false
"""


def test_number_and_objectives_questions_are_read(tree):
    tree.valid_course()
    tree.write(EV, WITH_NEW_TYPES)
    parsed = parse_courses(tree.root)
    assert parsed.errors == []
    assert parsed.courses[0].evaluation["questions"] == [
        {"key": "met", "prompt": "The course met this objective", "type": "objectives", "choices": [],
         "required": True},
        {"key": "hours", "prompt": "How many hours did the course take you?", "type": "number", "choices": [],
         "required": True},
        {"key": "comments", "prompt": "Comments", "type": "text", "choices": [], "required": False},
    ]


def test_the_new_types_take_no_choices(tree):
    tree.valid_course()
    tree.write(EV, WITH_NEW_TYPES.replace("type: number", "type: number\n    choices: [1, 2]"))
    assert [str(error) for error in parse_courses(tree.root).errors] == [
        f'{COURSE}/evaluation.yaml:8: questions[1].choices: is only for questions of type "choice"']


def test_a_key_that_an_objectives_question_answers_under_is_refused(tree):
    tree.valid_course()
    tree.write(EV, WITH_NEW_TYPES.replace("key: comments", "key: met_2"))
    assert [str(error) for error in parse_courses(tree.root).errors] == [
        f'{COURSE}/evaluation.yaml:8: questions[2].key: "met_2" is taken by the answers to the '
        "objectives question questions[0]"]
    assert parse_courses(tree.root).courses[0].evaluation is None
