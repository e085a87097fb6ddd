"""`flask demo seed`: the two demo accounts, verified, ready to log in."""

from datetime import date

import click
from flask.cli import AppGroup

from courseware.accounts import services
from courseware.accounts.models import Profession, Role
from courseware.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")

DEMO_PASSWORD = "demo-password-1"
SITE = "http://127.0.0.1:5000"
DEMO_ACCOUNTS = (
    dict(
        email="learner@example.com",
        display_name="Maya Learner",
        legal_name="Maya R. Learner",
        credential="OTR/L",
        role=Role.MEMBER,
        licences=(("TX", Profession.OT, "112233", date(2027, 3, 31)),),
    ),
    dict(
        email="author@example.com",
        display_name="Jennifer Huff",
        legal_name="Jennifer Huff",
        credential="OTR, MOT",
        role=Role.AUTHOR,
    ),
)


@demo_cli.command("seed")
@click.option("--password", default=DEMO_PASSWORD, show_default=True, help="Password for both demo accounts.")
@click.option("--site", default=SITE, show_default=True, help="Where the app answers (make run passes it).")
def seed(password: str, site: str) -> None:
    """Create or update the demo learner and author accounts (safe to run again)."""
    users = [services.ensure_account(password=password, **account) for account in DEMO_ACCOUNTS]
    db.session.commit()
    lines = ["Demo accounts are ready.", f"Log in at {site.rstrip('/')}/auth/login", ""]
    lines += [f"{user.email:<21} {password}   {user.display_name} ({user.role})" for user in users]
    click.echo(_box(lines))


def _box(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line:<{width}} |" for line in lines), rule])
