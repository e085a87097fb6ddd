"""`flask demo seed`: the two demo accounts, verified, ready to log in; `flask accounts role`: who
authors courses and who moderates the forum."""

from datetime import date

import click
from flask.cli import AppGroup

from courseware.accounts import services
from courseware.accounts.models import Profession, Role
from courseware.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")
accounts_cli = AppGroup("accounts", help="Accounts and their roles.")

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


@accounts_cli.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def role_command(email: str, role: str) -> None:
    """Give the account EMAIL a ROLE: member, author (the studio, the "Instructor" badge), moderator
    (every board of the forum, its reports and suspensions) or admin."""
    user = services.set_role(email, Role(role))
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    db.session.commit()
    click.echo(f"{user.email} ({user.display_name}) is now {role}.")


def _box(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line:<{width}} |" for line in lines), rule])
