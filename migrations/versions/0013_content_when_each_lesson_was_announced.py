"""Content: when each lesson was announced

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 00:58:16.460961

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    _mark_live_lessons_announced(datetime.now(UTC))


def downgrade():
    with op.batch_alter_table("lessons", schema=None) as batch_op:
        batch_op.drop_column("announced_at")


def _mark_live_lessons_announced(now: datetime) -> None:
    """Lessons learners see today were announced when they went live (or went live before there
    were announcements), except a studio schedule that has come due and that `flask courses
    publish-due` has not announced yet: its newest non-draft revision still says "scheduled"."""
    lessons = sa.table(
        "lessons",
        sa.column("id"),
        sa.column("status"),
        sa.column("retired_at"),
        sa.column("publish_at", sa.DateTime(timezone=True)),
        sa.column("announced_at", sa.DateTime(timezone=True)),
    )
    revisions = sa.table("lesson_revisions", sa.column("lesson_id"), sa.column("number"), sa.column("status"))
    decided = revisions.alias("decided")
    newest_decided = (
        sa.select(sa.func.max(decided.c.number))
        .where(decided.c.lesson_id == lessons.c.id, decided.c.status != "draft")
        .correlate(lessons)  # the lesson being updated, two levels out
        .scalar_subquery()
    )
    awaiting = (
        sa.select(revisions.c.lesson_id)
        .where(
            revisions.c.lesson_id == lessons.c.id,
            revisions.c.status == "scheduled",
            revisions.c.number == newest_decided,
        )
        .exists()
    )
    op.execute(
        lessons.update()
        .where(lessons.c.status == "published", lessons.c.retired_at.is_(None))
        .where(sa.or_(lessons.c.publish_at.is_(None), lessons.c.publish_at <= now), ~awaiting)
        .values(announced_at=now)
    )
