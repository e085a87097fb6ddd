"""Courses with a post-test, lessons marked complete, and answer sheets for the post-test form."""

import html
import re

import sqlalchemy as sa

from courseware.assessment.models import PostTestAttempt
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress

# Five questions: 4 right = 80 % (the default pass mark), 3 right = 60 %.
QUESTIONS = [
    {"prompt": "Who is the expert in the classroom?", "choices": ["The OT", "The teacher", "The principal"],
     "answer": [1], "multiple": False, "explanation": "The teacher knows the room and the routines."},
    {"prompt": "Which are educational-model questions?", "choices": ["Access", "Participation", "Diagnosis"],
     "answer": [0, 1], "multiple": True, "explanation": "Diagnosis belongs to the medical model."},
    {"prompt": "Where does integrated therapy happen?", "choices": ["A therapy room", "The classroom"],
     "answer": [1], "multiple": False, "explanation": "In the natural school environment."},
    {"prompt": "What does LRE stand for?",
     "choices": ["Least restrictive environment", "Learning readiness evaluation", "Local resource entry"],
     "answer": [0], "multiple": False, "explanation": "IDEA's least restrictive environment."},
    {"prompt": "Who should set a student's goals?", "choices": ["The team", "The OT alone"],
     "answer": [0], "multiple": False, "explanation": "Goals are written by the whole IEP team."},
]
EXPLANATIONS = [question["explanation"] for question in QUESTIONS]
OBJECTIVES = ["Describe integrated services.", "Plan a classroom routine with a teacher."]


def completion(pass_percent: int = 80, attempts: int = 2, evaluation: bool = True, post_test: bool = True):
    settings = {"pass_percent": pass_percent, "attempts": attempts} if post_test else None
    return {"watch_percent": 90, "post_test": settings, "evaluation": evaluation, "attestation": True}


def post_test_course(make, slug: str = "integration", lessons: int = 3, **fields):
    fields.setdefault("completion", completion())
    fields.setdefault("post_test", {"questions": QUESTIONS})
    fields.setdefault("objectives", OBJECTIVES)
    return make.course(slug=slug, lessons=lessons, **fields)


def complete_lessons(app, enrolment, lessons) -> None:
    with app.app_context():
        for lesson in lessons:
            progress = LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id, completed_at=utcnow())
            db.session.add(progress)
        db.session.commit()


def ready_learner(app, make, course):
    """A learner enrolled in `course` with every lesson complete: (user, enrolment)."""
    user = make.user()
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    return user, enrolment


def attempts(app, enrolment_id: int) -> list[PostTestAttempt]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(PostTestAttempt).where(PostTestAttempt.enrolment_id == enrolment_id)
            .order_by(PostTestAttempt.number)
        ).all()
        db.session.expunge_all()
        return list(rows)


def enrolment_of(app, user, course) -> Enrolment:
    with app.app_context():
        row = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
        db.session.expunge(row)
        return row


def answer_sheet(paper: list[dict], right: int) -> dict[str, list[str]]:
    """Form data answering the first `right` questions (in shown order) rightly and the rest wrongly."""
    form: dict[str, list[str]] = {}
    for position, question in enumerate(paper, 1):
        shown = [index for index, _text in question["choices"]]
        key = question["answer"]
        if position <= right:
            picked = key
        else:
            picked = [next(index for index in shown if index not in key)]
        form[f"q{position}"] = [str(shown.index(index) + 1) for index in picked]
    return form


def shown_prompts(page: str) -> list[str]:
    """The question prompts in the order the page shows them."""
    text = html.unescape(page)
    prompts = [question["prompt"] for question in QUESTIONS]
    return sorted((prompt for prompt in prompts if prompt in text), key=text.index)


def shown_choices(page: str, question: int) -> list[str]:
    """The choice labels of the question at shown position `question`, in order."""
    labels = re.findall(rf'<label for="q{question}-\d+">([^<]*)</label>', page)
    return [html.unescape(label) for label in labels]
