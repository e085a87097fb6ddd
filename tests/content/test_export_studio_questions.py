"""A post-test and evaluation edited in the studio: `flask courses export` writes them, sync reads them."""

import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.content.models import Course
from courseware.extensions import db
from tests.studio import test_evaluation_editor as evaluation_editor
from tests.studio.test_post_test_editor import post_test_form, question_fields, version_of

COURSE = "own-your-role"


def _course(app) -> Course:
    with app.app_context():
        course = db.session.scalars(sa.select(Course).filter_by(slug=COURSE)).one()
        db.session.expunge(course)
        return course


def _cli(app, *args: str) -> list[str]:
    result = app.test_cli_runner().invoke(args=["courses", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def _studio_edits(client, course) -> None:
    questions = (
        question_fields(1, "Which setting is *least* restrictive?", ["The classroom", "A therapy room"], [1],
                        explanation="Services in the classroom come first."),
        # Select all that apply with one right answer: still a list in the file.
        question_fields(2, "Which are school routines?", ["Lining up", "Surgery"], [1], multiple=True),
    )
    sent = client.post(f"/studio/courses/{COURSE}/post-test",
                       data=post_test_form(version_of(client, course), *questions, pass_percent="70"))
    assert sent.status_code == 302
    evaluation = [
        {"key": "pace", "prompt": "The pace suited me.", "type": "rating", "choices": [], "required": True},
        {"key": "format", "prompt": "Which format did you prefer?", "type": "choice",
         "choices": ["Video", "Reading", "Both"], "required": False},
        {"key": "ideas", "prompt": "What will you try first?", "type": "text", "choices": [],
         "required": False},
    ]
    sent = evaluation_editor.save(client, course, evaluation)
    assert sent.status_code == 302


def test_studio_questions_export_and_sync_back_to_the_same_values(app, tree, sync, client, make, login):
    tree.valid_course()
    sync()
    login(make.user(role=Role.AUTHOR))
    _studio_edits(client, _course(app))
    edited = _course(app)

    written = _cli(app, "export")
    assert "wrote courses/own-your-role/post-test.yaml" in written
    assert "wrote courses/own-your-role/evaluation.yaml" in written
    post_test_file = (tree.root / COURSE / "post-test.yaml").read_text()
    assert 'prompt: "Which setting is *least* restrictive?"' in post_test_file
    assert "answer: 0\n" in post_test_file and "answer: [0]\n" in post_test_file
    assert "pass_percent: 70" in (tree.root / COURSE / "course.md").read_text()

    assert _cli(app, "sync")[0].startswith(f"{COURSE}: updated")
    synced = _course(app)
    assert synced.post_test == edited.post_test
    assert synced.evaluation == edited.evaluation
    assert synced.completion == edited.completion
    assert _cli(app, "export")[-1] == f"{COURSE}: 0 written, 9 unchanged"


def test_going_back_to_the_default_evaluation_removes_the_file(app, tree, sync, client, make, login):
    tree.valid_course()
    sync()
    login(make.user(role=Role.AUTHOR))
    assert evaluation_editor.save(client, _course(app), [], action="use-default").status_code == 302

    _cli(app, "export")
    assert not (tree.root / COURSE / "evaluation.yaml").exists()
    _cli(app, "sync")
    assert _course(app).evaluation is None
