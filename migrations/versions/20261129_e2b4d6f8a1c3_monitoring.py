"""monitoring: groups, the visit plan, visits, checklists, findings, photos

Revision ID: e2b4d6f8a1c3
Revises: e1a9c3d5f7b2
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2b4d6f8a1c3'
down_revision = 'e1a9c3d5f7b2'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
