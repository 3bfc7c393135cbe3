"""contract signatures: an e-signature (CMS) file or a scan, the signer read from the certificate, the chain check's outcome

Revision ID: d1c4a7e2b9f0
Revises: c7a41e2d9b10
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1c4a7e2b9f0'
down_revision = 'c7a41e2d9b10'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
