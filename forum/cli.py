"""`flask forum boards`: the lounge and one private board per community course (safe to run again)."""

import click
from flask.cli import AppGroup

from courseware.extensions import db
from forum import services

forum_cli = AppGroup("forum", help="The community forum.")


@forum_cli.command("boards")
def boards_command() -> None:
    """Create the lounge and the boards of courses with `community: true`; refresh their titles."""
    report = services.ensure_course_boards()
    db.session.commit()
    for slug in report.created:
        click.echo(f"Created the board /forum/{slug}/")
    for slug in report.updated:
        click.echo(f"Updated the board /forum/{slug}/ from its course")
    for slug in report.skipped:
        click.echo(f"Skipped the course {slug}: its slug is a forum path. Rename the course.", err=True)
    if not (report.created or report.updated or report.skipped):
        click.echo("The forum's boards are up to date.")
