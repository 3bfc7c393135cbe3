"""draw published files: each draw's protocol PDFs, every version kept with its SHA-256, and the
public parts made once and shared by every worker (app/lottery/models.py, app/lottery/published.py)

Revision ID: g1a2b3c4d5e6
Revises: f2b3c4d5e6f7
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'g1a2b3c4d5e6'
down_revision = 'f2b3c4d5e6f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draw_protocols',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('head', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], ondelete='CASCADE',
                            name=op.f('fk_draw_protocols_draw_id_draws')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_protocols')),
    sa.UniqueConstraint('draw_id', 'lang', 'seq', name=op.f('uq_draw_protocols_draw_id_lang_seq'))
    )
    op.create_table('draw_renderings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], ondelete='CASCADE',
                            name=op.f('fk_draw_renderings_draw_id_draws')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_renderings')),
    sa.UniqueConstraint('draw_id', 'name', name=op.f('uq_draw_renderings_draw_id_name'))
    )


def downgrade():
    op.drop_table('draw_renderings')
    op.drop_table('draw_protocols')
