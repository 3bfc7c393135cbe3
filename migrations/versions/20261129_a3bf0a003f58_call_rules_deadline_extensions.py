"""call rules: deadline extensions, the one amendment a call allows once it is open (the new
deadline, the previous one, the reason in kk/ru/en shown on the call page, who and when)

Revision ID: a3bf0a003f58
Revises: fb2f81ead66a
Create Date: 2026-11-29 20:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3bf0a003f58'
down_revision = 'fb2f81ead66a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('previous_closes_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('reason_kk', sa.Text(), nullable=False),
    sa.Column('reason_ru', sa.Text(), nullable=False),
    sa.Column('reason_en', sa.Text(), nullable=False),
    sa.Column('extended_by_id', sa.Integer(), nullable=True),
    sa.Column('extended_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('closes_at > previous_closes_at', name=op.f('ck_deadline_extensions_moves_the_deadline_later')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_deadline_extensions_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['extended_by_id'], ['users.id'], name=op.f('fk_deadline_extensions_extended_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extensions'))
    )
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extensions_competition_id'), ['competition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extensions_competition_id'))

    op.drop_table('deadline_extensions')
