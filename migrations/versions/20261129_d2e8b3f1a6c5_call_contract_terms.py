"""per-call contract terms: signing days, final report due, the template's extra clauses

Revision ID: d2e8b3f1a6c5
Revises: d1c4a7e2b9f0
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2e8b3f1a6c5'
down_revision = 'd1c4a7e2b9f0'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
