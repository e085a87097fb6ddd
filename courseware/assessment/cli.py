"""`flask assessment grant-attempt EMAIL COURSE_SLUG`: one more post-test attempt for a learner."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from courseware.accounts.models import User
from courseware.assessment import services
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment

assessment_cli = AppGroup("assessment", help="Post-tests and evaluations.")


@assessment_cli.command("grant-attempt")
@click.argument("email")
@click.argument("course_slug")
@click.option("--note", default="", help="Why the attempt was allowed (kept with the grant).")
def grant_attempt_command(email: str, course_slug: str, note: str) -> None:
    """Allow EMAIL one more post-test attempt in COURSE_SLUG."""
    enrolment = db.session.scalar(
        sa.select(Enrolment)
        .join(User, Enrolment.user_id == User.id)
        .join(Course, Enrolment.course_id == Course.id)
        .where(User.email == email.strip().lower(), Course.slug == course_slug)
    )
    if enrolment is None:
        raise click.ClickException(f"{email} is not enrolled in a course with the slug {course_slug}.")
    try:
        services.grant_attempt(enrolment, None, note, utcnow())
    except services.AssessmentError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    status = services.post_test_status(enrolment, enrolment.course)
    allowed = f" ({status.attempts_left} of {status.attempts_allowed} attempts left)" if status else ""
    click.echo(f"{email.strip().lower()} may take the post-test once more{allowed}.")
