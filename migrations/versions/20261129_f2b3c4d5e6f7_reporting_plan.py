"""reporting plan: the header, tasks, activities, indicators, effect table and partners of a call's
report to the Operator (app/reporting/models.py)

Revision ID: f2b3c4d5e6f7
Revises: f1a2b3c4d5e6
Create Date: 2026-11-29 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b3c4d5e6f7'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

COMPUTED_OR_TYPED = "fact_key IS NULL OR (fact_kk = '' AND fact_ru = '')"


def _texts(*names, length=None):
    """A Kazakh and a Russian column for each name, NOT NULL."""
    kind = sa.String(length=length) if length else sa.Text()
    return [sa.Column(f'{name}_{language}', kind, nullable=False) for name in names for language in ('kk', 'ru')]


def _plan_and_fact():
    return [*_texts('plan', length=200), sa.Column('fact_key', sa.String(length=64), nullable=True),
            *_texts('fact', length=200)]


def _of_call(table):
    return [sa.Column('competition_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], ondelete='CASCADE',
                                    name=op.f(f'fk_{table}_competition_id_competitions'))]


def _positioned(table):
    return [sa.Column('id', sa.Integer(), nullable=False), sa.Column('position', sa.Integer(), nullable=False),
            sa.CheckConstraint('position >= 1', name=op.f(f'ck_{table}_position_positive')),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))]


def _index(table, column):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade():
    op.create_table('report_headers',
    sa.Column('competition_id', sa.Integer(), autoincrement=False, nullable=False),
    *_texts('project_name', length=500),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('total_amount', sa.BigInteger(), nullable=True),
    *_texts('goal', 'deviations', 'achievement', 'results', 'partners_analysis'),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('period_start IS NULL OR period_end IS NULL OR period_start <= period_end',
                       name=op.f('ck_report_headers_period_in_order')),
    sa.CheckConstraint('total_amount IS NULL OR total_amount >= 0',
                       name=op.f('ck_report_headers_total_not_negative')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], ondelete='CASCADE',
                            name=op.f('fk_report_headers_competition_id_competitions')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_report_headers_updated_by_id_users')),
    sa.PrimaryKeyConstraint('competition_id', name=op.f('pk_report_headers'))
    )

    op.create_table('report_tasks', *_positioned('report_tasks'), *_of_call('report_tasks'), *_texts('title'))
    _index('report_tasks', 'competition_id')

    op.create_table('report_activities', *_positioned('report_activities'),
    sa.Column('task_id', sa.Integer(), nullable=False),
    *_texts('activity'), *_texts('dates', 'place', 'participants', length=200), *_texts('results', 'effect'),
    sa.ForeignKeyConstraint(['task_id'], ['report_tasks.id'], ondelete='CASCADE',
                            name=op.f('fk_report_activities_task_id_report_tasks'))
    )
    _index('report_activities', 'task_id')

    op.create_table('report_indicators', *_positioned('report_indicators'),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    *_texts('name', length=500), *_plan_and_fact(),
    sa.CheckConstraint(COMPUTED_OR_TYPED, name=op.f('ck_report_indicators_fact_computed_or_typed')),
    sa.ForeignKeyConstraint(['activity_id'], ['report_activities.id'], ondelete='CASCADE',
                            name=op.f('fk_report_indicators_activity_id_report_activities'))
    )
    _index('report_indicators', 'activity_id')

    op.create_table('report_effects', *_positioned('report_effects'), *_of_call('report_effects'),
    *_texts('name', length=500), *_texts('unit', length=200), *_plan_and_fact(),
    sa.CheckConstraint(COMPUTED_OR_TYPED, name=op.f('ck_report_effects_fact_computed_or_typed'))
    )
    _index('report_effects', 'competition_id')

    op.create_table('report_partners', *_positioned('report_partners'), *_of_call('report_partners'),
    *_texts('name', length=500), *_texts('role'),
    sa.Column('contacts', sa.String(length=300), nullable=False),
    *_texts('note', length=500)
    )
    _index('report_partners', 'competition_id')


def downgrade():
    for table, column in (('report_partners', 'competition_id'), ('report_effects', 'competition_id'),
                          ('report_indicators', 'activity_id'), ('report_activities', 'task_id'),
                          ('report_tasks', 'competition_id')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
    op.drop_table('report_headers')
