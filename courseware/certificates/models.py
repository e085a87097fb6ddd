import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment


def new_public_id() -> str:
    """128 random bits: the certificate's id in its PDF and verification URL; it cannot be guessed."""
    return secrets.token_hex(16)


class Attestation(db.Model):
    """"I completed this activity myself", with the legal name the learner confirmed for printing."""

    __tablename__ = "attestations"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True
    )
    legal_name: Mapped[str] = mapped_column(sa.String(160))
    # The licence the learner chose to print on the certificate, if any.
    licence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("licences.id", ondelete="SET NULL"))
    statement: Mapped[str] = mapped_column(sa.Text)
    attested_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(db.Model):
    """A CE certificate: a legal record. Issued once per enrolment, never changed after issue.

    Everything it prints is frozen in `snapshot` when it is issued. A correction is a revocation
    (with a reason) plus a new certificate; the old one then points at its replacement.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid certificate per enrolment, enforced by both databases.
        sa.Index(
            "uq_certificates_valid_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    serial: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="RESTRICT"), index=True)
    course_revision: Mapped[int]
    completed_on: Mapped[date]  # in the learner's time zone
    issued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Every printed field, frozen at issue (see certificates.snapshot).
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    replaced_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
