import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_mailman import EmailMessage

from courseware.db import utcnow
from courseware.extensions import db
from courseware.notifications import inbox, services
from courseware.web import site_request_context

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


notifications_cli = AppGroup("notifications", help="In-app notifications and their emails.")


@notifications_cli.command("digest")
def digest_command() -> None:
    """Email the daily summary to members who chose it. Run once a day (cron)."""
    with site_request_context():  # the emails' links
        sent = inbox.send_digests(utcnow())
        db.session.commit()
    click.echo(f"notifications: {sent} daily {'summary' if sent == 1 else 'summaries'} queued")
