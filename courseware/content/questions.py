"""post-test.yaml and evaluation.yaml -> the normalised dicts stored on Course.post_test / .evaluation."""

import re
from collections.abc import Callable

from yaml.nodes import MappingNode, Node, SequenceNode

from courseware.content.context import CourseContext
from courseware.content.yamldoc import Fields, read_yaml_file, scalar_int
from courseware.markdown import render

# rating: 1-5 agreement; text: free text; choice: one of `choices`; number: a decimal 0..1000;
# objectives: one rating per course objective, answered under the keys <key>_1 .. <key>_n.
EVALUATION_TYPES = ("rating", "text", "choice", "number", "objectives")
MIN_CHOICES = 2  # for a post-test question and for an evaluation `choice` question
PASS_PERCENT_RANGE = (1, 100)  # completion.post_test.pass_percent in course.md
MIN_ATTEMPTS = 1  # completion.post_test.attempts
_KEY = re.compile(r"^[a-z0-9_]+$")


def read_post_test(ctx: CourseContext) -> dict | None:
    """{"questions": [{prompt, choices, answer: [sorted ints], multiple, explanation}, ...]}."""
    fields = _questions_file(ctx, "post-test.yaml")
    if fields is None:
        return None
    questions = [_post_test_question(fields, index, node) for index, node in _items(fields)]
    return {"questions": questions} if all(questions) else None


def read_evaluation(ctx: CourseContext) -> dict | None:
    """{"questions": [{key, prompt, type, choices, required}, ...]}; `type` is one of EVALUATION_TYPES."""
    fields = _questions_file(ctx, "evaluation.yaml")
    if fields is None:
        return None
    keys_seen: dict[str, int] = {}
    items = _items(fields)
    questions = [_evaluation_question(fields, index, node, keys_seen) for index, node in items]
    if not all(questions):
        return None
    return {"questions": questions} if _objective_keys_are_free(fields, items, questions) else None


# The rules both readers apply: this module's YAML reader and the studio's editors
# (courseware/studio/post_test_rules.py). Each returns the problem in words, or None.


def answer_problem(answer: list[int], choice_count: int | None) -> str | None:
    """The key of a post-test question: at least one choice, each once, each one of the choices
    (unless choice_count is None: the choices were unreadable and have an error of their own)."""
    if not answer:
        return "mark at least one correct answer"
    if len(set(answer)) != len(answer):
        return "lists the same choice twice"
    outside = [number for number in answer if choice_count is not None and not 0 <= number < choice_count]
    if outside and choice_count is not None:
        return f"{outside[0]} is out of range: the choices are numbered 0 to {choice_count - 1}"
    return None


def evaluation_key_problem(key: str, index: int, keys_seen: dict[str, int],
                           name: Callable[[int], str] = lambda index: f"questions[{index}]") -> str | None:
    """Answers are stored under the key, so it must be stable, simple and unique; records it in keys_seen."""
    if not _KEY.match(key):
        return f'"{key}" must be lowercase letters, digits and underscores'
    if key in keys_seen:
        return f'"{key}" is already used by {name(keys_seen[key])}'
    keys_seen[key] = index
    return None


def objective_key_clashes(questions: list[dict]) -> list[tuple[int, int]]:
    """(index, owner index) of each key that looks like an answer key of an `objectives` question:
    such a question answers under <key>_1, <key>_2, ..., so no other key may be one of those."""
    owners = {question["key"]: index for index, question in enumerate(questions)
              if question["type"] == "objectives"}
    clashes = []
    for index, question in enumerate(questions):
        prefix, _, number = question["key"].rpartition("_")
        if prefix in owners and number.isdigit():
            clashes.append((index, owners[prefix]))
    return clashes


def choices_allowed(kind: str | None) -> bool:
    """Only a `choice` evaluation question lists choices (at least MIN_CHOICES of them)."""
    return kind == "choice"


def _questions_file(ctx: CourseContext, name: str) -> Fields | None:
    path = ctx.course_dir / name
    if not path.is_file():
        return None
    fields = read_yaml_file(ctx.source(path))
    if fields is not None:
        fields.check_unknown(("questions",))
    return fields


def _items(fields: Fields) -> list[tuple[int, Node]]:
    nodes = fields.sequence("questions", required=True)
    if nodes is not None and not nodes:
        fields.error("questions", "needs at least 1 question")
    return list(enumerate(nodes or []))


def _question_fields(fields: Fields, index: int, node: Node, allowed: tuple[str, ...]) -> Fields | None:
    if not isinstance(node, MappingNode):
        fields.source.error(fields.node_line(node), f"questions[{index}]",
                            f"must be a mapping with {', '.join(allowed)}")
        return None
    question = fields.nested(node, f"questions[{index}].")
    question.check_unknown(allowed)
    return question


def _post_test_question(fields: Fields, index: int, node: Node) -> dict | None:
    question = _question_fields(fields, index, node, ("prompt", "choices", "answer", "explanation"))
    if question is None:
        return None
    prompt = question.text("prompt")
    choices = question.text_list("choices", required=True, min_items=MIN_CHOICES)
    explanation = question.text("explanation", required=False)
    answer = _answer(question, len(choices) if choices else None)
    if prompt is None or choices is None or answer is None:
        return None
    return {"prompt": prompt, "choices": choices, "answer": sorted(answer),
            "multiple": isinstance(question.node("answer"), SequenceNode), "explanation": explanation}


def _answer(question: Fields, choice_count: int | None) -> list[int] | None:
    """A 0-based choice number, or a list of them for a select-all-that-apply question."""
    node = question.node("answer")
    if node is None:
        question.error("answer", "is required")
        return None
    nodes = node.value if isinstance(node, SequenceNode) else [node]
    numbers = [scalar_int(item) for item in nodes]
    if not nodes or None in numbers:
        question.error("answer", "must be a choice number (counting from 0) or a list of them")
        return None
    checked = [number for number in numbers if number is not None]
    problem = answer_problem(checked, choice_count)
    if problem:
        question.error("answer", problem)
        return None
    return checked


def _evaluation_question(fields: Fields, index: int, node: Node, keys_seen: dict[str, int]) -> dict | None:
    question = _question_fields(fields, index, node, ("key", "prompt", "type", "choices", "required"))
    if question is None:
        return None
    key = _evaluation_key(question, index, keys_seen)
    prompt = question.text("prompt")
    kind = question.choice("type", EVALUATION_TYPES)
    choices = _evaluation_choices(question, kind)
    required = question.flag("required", default=True)
    if key is None or prompt is None or kind is None or choices is None:
        return None
    return {"key": key, "prompt": prompt, "type": kind, "choices": choices, "required": required}


def _evaluation_key(question: Fields, index: int, keys_seen: dict[str, int]) -> str | None:
    """Answers are stored under the key, so it must be stable, simple and unique in the file."""
    key = question.text("key")
    problem = None if key is None else evaluation_key_problem(key, index, keys_seen)
    if problem:
        question.error("key", problem)
        return None
    return key


def _objective_keys_are_free(fields: Fields, items: list[tuple[int, Node]], questions: list[dict]) -> bool:
    clashes = objective_key_clashes(questions)
    for index, owner in clashes:
        key = questions[index]["key"]
        fields.nested(items[index][1], f"questions[{index}].").error(
            "key", f'"{key}" is taken by the answers to the objectives question questions[{owner}]')
    return not clashes


def _evaluation_choices(question: Fields, kind: str | None) -> list[str] | None:
    if choices_allowed(kind):
        return question.text_list("choices", required=True, min_items=MIN_CHOICES)
    if question.has("choices"):
        question.error("choices", 'is only for questions of type "choice"')
        return None
    return []


def with_html(questions: dict | None) -> dict | None:
    """Prompts and explanations are markdown; their HTML is stored beside them, as sync and the
    studio both save them, so no page renders markdown. (An evaluation question has no explanation.)"""
    if questions is None:
        return None
    rendered = []
    for question in questions["questions"]:
        html = {f"{key}_html": render(question[key] or "", trusted=True)
                for key in ("prompt", "explanation") if key in question}
        rendered.append({**question, **html})
    return {"questions": rendered}
