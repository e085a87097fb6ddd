import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_mailman import EmailMessage

from courseware.db import utcnow
from courseware.extensions import db
from courseware.notifications import services

outbox_cli = AppGroup("outbox", help="The email outbox.")


@outbox_cli.command("deliver")
@click.option("--watch", is_flag=True, help="Keep running, delivering every few seconds.")
@click.option("--interval", default=3.0, show_default=True, help="Seconds between rounds with --watch.")
def deliver_command(watch: bool, interval: float) -> None:
    """Send the emails waiting in the outbox."""
    while True:
        sent, failed = deliver_due_emails()
        if sent or failed or not watch:
            click.echo(f"outbox: {sent} sent, {failed} failed")
        if not watch:
            return
        time.sleep(interval)


def deliver_due_emails() -> tuple[int, int]:
    claimed = services.claim_due_emails(utcnow(), current_app.config["OUTBOX_MAX_ATTEMPTS"])
    db.session.commit()
    sent = failed = 0
    for email in claimed:
        try:
            EmailMessage(email.subject, email.body_text, to=[email.recipient], headers=email.headers).send()
        except Exception as error:  # any transport failure: keep the email for a later attempt
            services.record_failure(email.id, f"{type(error).__name__}: {error}")
            failed += 1
        else:
            services.record_sent(email.id, utcnow())
            sent += 1
        db.session.commit()
    return sent, failed
