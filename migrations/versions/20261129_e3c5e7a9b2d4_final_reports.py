"""final reports of grantees: beneficiaries, photos, success story, review

Revision ID: e3c5e7a9b2d4
Revises: e2b4d6f8a1c3
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3c5e7a9b2d4'
down_revision = 'e2b4d6f8a1c3'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
