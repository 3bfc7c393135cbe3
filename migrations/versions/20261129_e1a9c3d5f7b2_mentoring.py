"""mentoring: candidates, the pool, assignments, meetings

Revision ID: e1a9c3d5f7b2
Revises: d2e8b3f1a6c5
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a9c3d5f7b2'
down_revision = 'd2e8b3f1a6c5'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
