"""office log: call-centre consultations and information events (app/office_log/models.py)

Revision ID: f1a2b3c4d5e6
Revises: e4d6f8b1c3e5
Create Date: 2026-11-29 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e4d6f8b1c3e5'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table('office_consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('channel', _enum('channel', 'call', 'whatsapp', 'instagram', 'email', 'visit'), nullable=False),
    sa.Column('topic', _enum('topic', 'conditions', 'applying', 'documents', 'results', 'grant', 'reporting',
                             'other'), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'],
                            name=op.f('fk_office_consultations_competition_id_competitions')),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_office_consultations_operator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_consultations'))
    )
    with op.batch_alter_table('office_consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_consultations_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_consultations_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_consultations_operator_id'), ['operator_id'], unique=False)

    op.create_table('office_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('kind', _enum('eventkind', 'open_day', 'briefing', 'master_session', 'other'), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('women', sa.Integer(), nullable=True),
    sa.Column('neet_youth', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_office_events_participants_not_negative')),
    sa.CheckConstraint('women IS NULL OR (women >= 0 AND women <= participants)',
                       name=op.f('ck_office_events_women_among_participants')),
    sa.CheckConstraint('neet_youth IS NULL OR (neet_youth >= 0 AND neet_youth <= participants)',
                       name=op.f('ck_office_events_neet_youth_among_participants')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'],
                            name=op.f('fk_office_events_competition_id_competitions')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_office_events_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_events'))
    )
    with op.batch_alter_table('office_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_events_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_events_held_on'), ['held_on'], unique=False)


def downgrade():
    with op.batch_alter_table('office_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_events_held_on'))
        batch_op.drop_index(batch_op.f('ix_office_events_competition_id'))
    op.drop_table('office_events')
    with op.batch_alter_table('office_consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_consultations_operator_id'))
        batch_op.drop_index(batch_op.f('ix_office_consultations_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_office_consultations_competition_id'))
    op.drop_table('office_consultations')
