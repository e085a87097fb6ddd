"""The post-test and evaluation editors' forms: read what was sent, apply an editing button, check it.

    draft, action = read_post_test(request.form)      # or read_evaluation
    edit(draft.questions, action, blank)              # Add question / Add choice / Remove / Move up / down
    errors = post_test_errors(draft)                  # {field id: message}; empty when it may be saved

The forms work without JavaScript: every editing button submits the whole form, which comes back
with the change made and everything typed kept. Field names carry the question's number (`q3-prompt`,
`q3-c2`); the rules are courseware.content.questions', the ones `flask courses sync` applies to files.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from courseware.content import questions as rules
from courseware.forms import strip_control_characters

# Far beyond a real post-test; it bounds what one request can make the server read and render.
MAX_QUESTIONS = 100
MAX_CHOICES = 12
_ACTION = re.compile(r"^(add-question|save|use-default)$|^(remove|up|down|add-choice)-(\d{1,3})$"
                     r"|^remove-choice-(\d{1,3})-(\d{1,2})$")


@dataclass
class Question:
    """One question as the editor holds it; `correct` and `choices` count from 0."""

    prompt: str = ""
    choices: list[str] = field(default_factory=lambda: ["", ""])
    correct: list[int] = field(default_factory=list)
    multiple: bool = False
    explanation: str = ""
    # Evaluation questions only.
    key: str = ""
    type: str = "rating"
    required: bool = True


@dataclass
class Draft:
    """The editor's form: settings as typed (kept even when wrong), questions and the version opened."""

    questions: list[Question]
    version: str
    pass_percent: str = ""
    attempts: str = ""


@dataclass(frozen=True)
class Action:
    name: str  # save | use-default | add-question | remove | up | down | add-choice | remove-choice
    question: int = 0  # counting from 0
    choice: int = 0


def read_action(form: Mapping[str, str]) -> Action | None:
    """The button pressed; Enter in a text field presses the first one, which is Save. None: forged."""
    match = _ACTION.match(form.get("action", "save"))
    if match is None:
        return None
    if match.group(1):
        return Action(match.group(1))
    if match.group(2):
        return Action(match.group(2), int(match.group(3)) - 1)
    return Action("remove-choice", int(match.group(4)) - 1, int(match.group(5)) - 1)


def read_post_test(form: MultiDict) -> Draft:
    questions = []
    for prefix in _prefixes(form, "q"):
        choices = _choices(form, prefix)
        questions.append(Question(
            prompt=_text(form, f"{prefix}-prompt"),
            choices=choices,
            correct=_correct(form, prefix, len(choices)),
            multiple=bool(form.get(f"{prefix}-multiple")),
            explanation=_text(form, f"{prefix}-explanation"),
        ))
    return Draft(questions, form.get("version", ""), _text(form, "pass_percent"), _text(form, "attempts"))


def read_evaluation(form: MultiDict) -> Draft:
    questions = [
        Question(
            key=_text(form, f"{prefix}-key"),
            prompt=_text(form, f"{prefix}-prompt"),
            type=_text(form, f"{prefix}-type"),
            choices=_choices(form, prefix),
            required=bool(form.get(f"{prefix}-required")),
        )
        for prefix in _prefixes(form, "q")
    ]
    return Draft(questions, form.get("version", ""))


def edit(questions: list[Question], action: Action, blank: Callable[[], Question]) -> bool:
    """Apply an editing button in place; False when it names a question or choice there is not."""
    if action.name == "add-question":
        if len(questions) < MAX_QUESTIONS:
            questions.append(blank())
        return True
    if not 0 <= action.question < len(questions):
        return False
    index, question = action.question, questions[action.question]
    if action.name == "remove":
        del questions[index]
    elif action.name in ("up", "down"):
        other = index - 1 if action.name == "up" else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], question
    elif action.name == "add-choice":
        if len(question.choices) < MAX_CHOICES:
            question.choices.append("")
    else:
        return _remove_choice(question, action.choice)
    return True


def post_test_errors(draft: Draft) -> dict[str, str]:
    errors = _settings_errors(draft)
    if not draft.questions:
        errors["add-question"] = "Add at least one question."
    for number, question in enumerate(draft.questions, 1):
        prefix = f"q{number}"
        if not question.prompt:
            errors[f"{prefix}-prompt"] = f"Question {number}: write the question."
        errors.update(_choice_errors(question, number))
        problem = rules.answer_problem(question.correct, len(question.choices))
        if problem is None and not question.multiple and len(question.correct) > 1:
            problem = "mark one correct answer, or let learners choose every answer that applies"
        if problem:  # shown by the choices, unless they have a problem of their own there
            errors.setdefault(f"{prefix}-choices", f"Question {number}: {problem}.")
    return errors


def evaluation_errors(draft: Draft) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft.questions:
        errors["add-question"] = "Add at least one question, or use the platform's default evaluation."
    keys_seen: dict[str, int] = {}
    for index, question in enumerate(draft.questions):
        number, prefix = index + 1, f"q{index + 1}"
        if not question.key:
            errors[f"{prefix}-key"] = f"Question {number}: give the answers a key, like relevance."
        elif problem := rules.evaluation_key_problem(question.key, index, keys_seen, _question_name):
            errors[f"{prefix}-key"] = f"Question {number}: {problem}."
        if not question.prompt:
            errors[f"{prefix}-prompt"] = f"Question {number}: write the question."
        if question.type not in rules.EVALUATION_TYPES:
            errors[f"{prefix}-type"] = f"Question {number}: choose a type from the list."
        if rules.choices_allowed(question.type):
            errors.update(_choice_errors(question, number))
    if not errors:
        for index, owner in rules.objective_key_clashes(evaluation_questions(draft)):
            errors[f"q{index + 1}-key"] = (
                f'Question {index + 1}: "{draft.questions[index].key}" is taken by the answers to the '
                f"objectives question, question {owner + 1}."
            )
    return errors


def post_test_questions(draft: Draft) -> list[dict]:
    """Stored as `flask courses sync` stores post-test.yaml (content/questions.py)."""
    return [
        {"prompt": question.prompt, "choices": list(question.choices), "answer": sorted(question.correct),
         "multiple": question.multiple, "explanation": question.explanation or None}
        for question in draft.questions
    ]


def evaluation_questions(draft: Draft) -> list[dict]:
    """Stored as `flask courses sync` stores evaluation.yaml; choices only for a `choice` question."""
    return [
        {"key": question.key, "prompt": question.prompt, "type": question.type,
         "choices": list(question.choices) if rules.choices_allowed(question.type) else [],
         "required": question.required}
        for question in draft.questions
    ]


def _question_name(index: int) -> str:
    return f"question {index + 1}"


def _settings_errors(draft: Draft) -> dict[str, str]:
    errors = {}
    low, high = rules.PASS_PERCENT_RANGE
    if not _whole(draft.pass_percent, low, high):
        errors["pass_percent"] = f"Enter the pass mark as a whole number from {low} to {high}."
    if not _whole(draft.attempts, rules.MIN_ATTEMPTS, None):
        errors["attempts"] = f"Enter the attempts as a whole number, {rules.MIN_ATTEMPTS} or more."
    return errors


def _choice_errors(question: Question, number: int) -> dict[str, str]:
    errors = {}
    if len(question.choices) < rules.MIN_CHOICES:
        errors[f"q{number}-choices"] = f"Question {number}: give at least {rules.MIN_CHOICES} choices."
    for position, choice in enumerate(question.choices, 1):
        if not choice:
            errors[f"q{number}-c{position}"] = f"Choice {position} of question {number} is empty."
    return errors


def _remove_choice(question: Question, choice: int) -> bool:
    """The choices after it move up one, and so do the correct answers that point at them."""
    if not 0 <= choice < len(question.choices):
        return False
    del question.choices[choice]
    question.correct = [index - (index > choice) for index in question.correct if index != choice]
    return True


def _prefixes(form: Mapping[str, str], letter: str) -> list[str]:
    """q1, q2, ... while the form has them: a question is there when its prompt field is."""
    prefixes = []
    while len(prefixes) < MAX_QUESTIONS and f"{letter}{len(prefixes) + 1}-prompt" in form:
        prefixes.append(f"{letter}{len(prefixes) + 1}")
    return prefixes


def _choices(form: Mapping[str, str], prefix: str) -> list[str]:
    choices: list[str] = []
    while len(choices) < MAX_CHOICES and f"{prefix}-c{len(choices) + 1}" in form:
        choices.append(_text(form, f"{prefix}-c{len(choices) + 1}"))
    return choices


def _correct(form: MultiDict, prefix: str, choice_count: int) -> list[int]:
    """The ticked choices, counting from 0; a value naming no choice counts as no tick."""
    values = {value for value in form.getlist(f"{prefix}-correct") if value.isdigit() and len(value) < 3}
    return sorted(int(value) - 1 for value in values if 1 <= int(value) <= choice_count)


def _text(form: Mapping[str, str], name: str) -> str:
    return strip_control_characters(form.get(name, "")).strip()


def _whole(text: str, low: int, high: int | None) -> bool:
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return False
    return low <= int(text) and (high is None or int(text) <= high)


def focus_after(action: Action, questions: list[Question]) -> str:
    """The id of the control a keyboard user wants next, once the page comes back from an editing button."""
    number = action.question + 1
    if action.name == "add-question" or not questions:
        return f"q{len(questions)}-prompt" if questions else "add-question"
    if action.name == "remove":
        return f"q{min(number, len(questions))}-prompt"
    if action.name in ("up", "down"):
        moved = max(1, min(number - 1 if action.name == "up" else number + 1, len(questions)))
        # The first question has no Move up button and the last no Move down: then the other one.
        at_edge = moved == 1 if action.name == "up" else moved == len(questions)
        other = "down" if action.name == "up" else "up"
        return f"q{moved}-{other if at_edge and len(questions) > 1 else action.name}"
    choices = len(questions[action.question].choices)
    if action.name == "add-choice" or not choices:
        return f"q{number}-c{choices}" if choices else f"q{number}-add-choice"
    return f"q{number}-c{min(action.choice + 1, choices)}"
