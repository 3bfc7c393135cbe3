"""screening protocols: the protocol PDF of a closed call per language and version of its results,
every version kept with its SHA-256 (app/screening/models.py, app/screening/protocol.py)

Revision ID: i1a2b3c4d5e6
Revises: h1a2b3c4d5e6
Create Date: 2026-11-30 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i1a2b3c4d5e6'
down_revision = 'h1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('screening_protocols',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], ondelete='CASCADE',
                            name=op.f('fk_screening_protocols_competition_id_competitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_protocols')),
    sa.UniqueConstraint('competition_id', 'lang', 'version',
                        name=op.f('uq_screening_protocols_competition_id_lang_version'))
    )


def downgrade():
    op.drop_table('screening_protocols')
