"""draws: the draw of a competition, its public hash-chained log, its observers

Revision ID: 05bcb6d7a984
Revises: 49d739a9da9b
Create Date: 2026-11-22 02:10:16.670732

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '05bcb6d7a984'
down_revision = '49d739a9da9b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('prepared', 'committed', 'drawn', 'published', name='drawstate', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('algorithm', sa.String(length=16), nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('quotas', sa.JSON(), nullable=False),
    sa.Column('source_rule', sa.Text(), nullable=False),
    sa.Column('commitment', sa.String(length=64), nullable=True),
    sa.Column('sources', sa.JSON(), nullable=True),
    sa.Column('seed', sa.Text(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('prepared_at', sa.DateTime(), nullable=False),
    sa.Column('prepared_by_id', sa.Integer(), nullable=True),
    sa.Column('committed_at', sa.DateTime(), nullable=True),
    sa.Column('committed_by_id', sa.Integer(), nullable=True),
    sa.Column('sources_entered_at', sa.DateTime(), nullable=True),
    sa.Column('sources_entered_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', sa.DateTime(), nullable=True),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(state = 'prepared') = (commitment IS NULL)", name=op.f('ck_draws_commitment_from_commit')),
    sa.CheckConstraint("(state IN ('prepared', 'committed')) = (seed IS NULL)", name=op.f('ck_draws_seed_from_run')),
    sa.CheckConstraint('(seed IS NULL) = (results IS NULL)', name=op.f('ck_draws_results_with_seed')),
    sa.CheckConstraint('seed IS NULL OR sources IS NOT NULL', name=op.f('ck_draws_seed_from_sources')),
    sa.ForeignKeyConstraint(['committed_by_id'], ['users.id'], name=op.f('fk_draws_committed_by_id_users')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_draws_competition_id_competitions')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'], name=op.f('fk_draws_drawn_by_id_users')),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['users.id'], name=op.f('fk_draws_prepared_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_draws_published_by_id_users')),
    sa.ForeignKeyConstraint(['sources_entered_by_id'], ['users.id'], name=op.f('fk_draws_sources_entered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draws')),
    sa.UniqueConstraint('competition_id', name=op.f('uq_draws_competition_id'))
    )
    op.create_table('draw_log_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('event', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('prev', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], name=op.f('fk_draw_log_entries_draw_id_draws'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_log_entries')),
    sa.UniqueConstraint('draw_id', 'seq', name=op.f('uq_draw_log_entries_draw_id_seq'))
    )
    op.create_table('draw_observers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=255), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], name=op.f('fk_draw_observers_draw_id_draws'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_draw_observers_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_observers'))
    )
    with op.batch_alter_table('draw_observers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_observers_draw_id'), ['draw_id'], unique=False)


def downgrade():
    with op.batch_alter_table('draw_observers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_observers_draw_id'))

    op.drop_table('draw_observers')
    op.drop_table('draw_log_entries')
    op.drop_table('draws')
