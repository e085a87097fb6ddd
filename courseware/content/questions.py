"""post-test.yaml and evaluation.yaml -> the normalised dicts stored on Course.post_test / .evaluation."""

import re

from yaml.nodes import MappingNode, Node, SequenceNode

from courseware.content.context import CourseContext
from courseware.content.yamldoc import Fields, read_yaml_file, scalar_int

# rating: 1-5 agreement; text: free text; choice: one of `choices`; number: a decimal 0..1000;
# objectives: one rating per course objective, answered under the keys <key>_1 .. <key>_n.
EVALUATION_TYPES = ("rating", "text", "choice", "number", "objectives")
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
    choices = question.text_list("choices", required=True, min_items=2)
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
    if len(set(numbers)) != len(numbers):
        question.error("answer", "lists the same choice twice")
        return None
    checked = [number for number in numbers if number is not None]
    outside = [n for n in checked if choice_count is not None and not 0 <= n < choice_count]
    if outside and choice_count is not None:
        last = choice_count - 1
        question.error("answer", f"{outside[0]} is out of range: the choices are numbered 0 to {last}")
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
    if key is not None and not _KEY.match(key):
        question.error("key", f'"{key}" must be lowercase letters, digits and underscores')
        return None
    if key is not None and key in keys_seen:
        question.error("key", f'"{key}" is already used by questions[{keys_seen[key]}]')
        return None
    if key is not None:
        keys_seen[key] = index
    return key


def _objective_keys_are_free(fields: Fields, items: list[tuple[int, Node]], questions: list[dict]) -> bool:
    """An `objectives` question answers under <key>_1, <key>_2, ...: no other key may look like those."""
    owners = {question["key"]: index for index, question in enumerate(questions)
              if question["type"] == "objectives"}
    free = True
    for (index, node), question in zip(items, questions, strict=True):
        prefix, _, number = question["key"].rpartition("_")
        if prefix in owners and number.isdigit():
            owner = f"questions[{owners[prefix]}]"
            fields.nested(node, f"questions[{index}].").error(
                "key", f'"{question["key"]}" is taken by the answers to the objectives question {owner}')
            free = False
    return free


def _evaluation_choices(question: Fields, kind: str | None) -> list[str] | None:
    if kind == "choice":
        return question.text_list("choices", required=True, min_items=2)
    if question.has("choices"):
        question.error("choices", 'is only for questions of type "choice"')
        return None
    return []
