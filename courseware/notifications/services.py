"""The email outbox: queue in the caller's transaction; the worker claims, sends and records."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from courseware.extensions import db
from courseware.notifications.models import OutboxEmail


@dataclass(frozen=True)
class ClaimedEmail:
    id: int
    recipient: str
    subject: str
    body_text: str
    headers: dict[str, str] | None = None


def queue_email(
    recipient: str, subject: str, body_text: str, headers: dict[str, str] | None = None
) -> OutboxEmail:
    """Add an email to the outbox. It is sent only if the caller's transaction commits."""
    email = OutboxEmail(recipient=recipient, subject=subject, body_text=body_text, headers=headers)
    db.session.add(email)
    return email


def claim_due_emails(now: datetime, max_attempts: int, limit: int = 50) -> list[ClaimedEmail]:
    """Mark due emails as being attempted (pushing their next attempt back) and return them.

    The caller commits before sending, so no network call happens inside a transaction, and a
    second worker does not pick up the same email while this one is sending it.
    """
    emails = db.session.scalars(
        sa.select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at <= now)
        .where(OutboxEmail.attempts < max_attempts)
        .order_by(OutboxEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for email in emails:
        email.attempts += 1
        email.next_attempt_at = now + _backoff(email.attempts)
    return [ClaimedEmail(e.id, e.recipient, e.subject, e.body_text, e.headers) for e in emails]


def record_sent(email_id: int, now: datetime) -> None:
    db.session.get(OutboxEmail, email_id).sent_at = now


def record_failure(email_id: int, error: str) -> None:
    db.session.get(OutboxEmail, email_id).last_error = error[:2000]


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** (attempts - 1))
