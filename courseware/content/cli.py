"""Course files <-> database: parse, validate, version; `flask courses sync|check|export`."""

from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup

from courseware.content.export import UnknownCourses, export_courses
from courseware.content.services import InvalidCourseTree, check_courses, sync_courses
from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import site_request_context

courses_cli = AppGroup("courses", help="Course files: check, sync, export.")

_dir_option = click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
    help="The courses folder (default: the COURSES_DIR setting).",
)


@courses_cli.command("check")
@_dir_option
@click.option("--skip-media", is_flag=True, help="Do not compare lesson durations with the media files.")
def check_command(directory: Path | None, skip_media: bool) -> None:
    """Validate the course files; print every error (file:line: field: message) or a summary per course."""
    report = check_courses(_courses_dir(directory), compare_media=not skip_media)
    _warn(report.warnings)
    if report.errors:
        _fail(report.errors, "")
    for line in report.summaries():
        click.echo(line)


@courses_cli.command("sync")
@_dir_option
@click.option("--compare-media", is_flag=True, help="Also compare lesson durations with the media files.")
def sync_command(directory: Path | None, compare_media: bool) -> None:
    """Load the course files into the database; nothing is written if any file has an error."""
    try:
        # Announcing a new lesson to its learners writes links to it: they go to SITE_URL.
        with site_request_context():
            report = sync_courses(_courses_dir(directory), utcnow(), compare_media=compare_media)
    except InvalidCourseTree as exc:
        db.session.rollback()
        _fail(exc.errors, "; nothing was written")
    db.session.commit()
    _warn(report.warnings)
    for line in report.lines():
        click.echo(line)


@courses_cli.command("export")
@click.option(
    "--directory", "--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the course folders (default: the COURSES_DIR setting).",
)
@click.option(
    "--course", "slugs", multiple=True, metavar="SLUG", help="Export only this course (repeatable)."
)
@click.option(
    "--source", type=click.Path(file_okay=False, path_type=Path),
    help="The course folders to copy media files from (default: the COURSES_DIR setting).",
)
def export_command(directory: Path | None, slugs: tuple[str, ...], source: Path | None) -> None:
    """Write courses from the database back to files; unchanged files are left as they are."""
    try:
        report = export_courses(_courses_dir(directory), _courses_dir(source), list(slugs))
    except UnknownCourses as exc:
        _fail([f"--course {slug}: no course has this slug" for slug in exc.slugs], "; nothing was written")
    finally:
        db.session.rollback()  # the export only reads
    for line in report.lines():
        click.echo(line)
    if report.errors:
        _fail(report.errors, "")


def _courses_dir(directory: Path | None) -> Path:
    return (directory or Path(current_app.config["COURSES_DIR"])).resolve()


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


def _fail(errors: list, note: str) -> NoReturn:
    for error in errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(errors)} error(s){note}.", err=True)
    raise SystemExit(1)
