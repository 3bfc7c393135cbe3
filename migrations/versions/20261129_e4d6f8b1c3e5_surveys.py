"""surveys: invitations per stage and answers

Revision ID: e4d6f8b1c3e5
Revises: e3c5e7a9b2d4
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4d6f8b1c3e5'
down_revision = 'e3c5e7a9b2d4'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
