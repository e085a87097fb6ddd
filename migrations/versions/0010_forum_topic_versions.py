"""Forum: topics.version, the key of each topic's cached post lists

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:27:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Every existing topic starts at version 1: no process has cached anything under the new key yet.
    # A plain ADD COLUMN (not a batch copy of the table), so SQLite keeps the search triggers on topics.
    op.add_column("topics", sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    op.drop_column("topics", "version")
