"""mentoring: mentor candidates and the call's pool, each grant's mentor, the meetings mentors log
(app/mentoring/models.py)

Revision ID: e1a9c3d5f7b2
Revises: d2e8b3f1a6c5
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a9c3d5f7b2'
down_revision = 'd2e8b3f1a6c5'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table('mentor_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('years_experience', sa.Integer(), nullable=False),
    sa.Column('project_experience', sa.Text(), nullable=False),
    sa.Column('education', _enum('education', 'secondary', 'vocational', 'higher', 'postgraduate'), nullable=False),
    sa.Column('mobile', sa.Boolean(), nullable=False),
    sa.Column('cv_stored_name', sa.String(length=64), nullable=False),
    sa.Column('cv_original_name', sa.String(length=255), nullable=False),
    sa.Column('cv_sha256', sa.String(length=64), nullable=False),
    sa.Column('cv_size', sa.Integer(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('status', _enum('candidatestatus', 'new', 'scored', 'selected'), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('score_total', sa.Integer(), nullable=True),
    sa.Column('score_note', sa.Text(), nullable=True),
    sa.Column('scored_by_id', sa.Integer(), nullable=True),
    sa.Column('scored_at', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('selected_by_id', sa.Integer(), nullable=True),
    sa.Column('selected_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('years_experience >= 0', name=op.f('ck_mentor_candidates_years_not_negative')),
    sa.CheckConstraint("(status = 'new') = (score_total IS NULL)", name=op.f('ck_mentor_candidates_scored_with_total')),
    sa.CheckConstraint("(status = 'selected') = (user_id IS NOT NULL AND selected_at IS NOT NULL)",
                       name=op.f('ck_mentor_candidates_selected_with_login')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'],
                            name=op.f('fk_mentor_candidates_competition_id_competitions')),
    sa.ForeignKeyConstraint(['scored_by_id'], ['users.id'], name=op.f('fk_mentor_candidates_scored_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mentor_candidates_user_id_users')),
    sa.ForeignKeyConstraint(['selected_by_id'], ['users.id'], name=op.f('fk_mentor_candidates_selected_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_candidates')),
    sa.UniqueConstraint('competition_id', 'email', name=op.f('uq_mentor_candidates_competition_id_email'))
    )
    with op.batch_alter_table('mentor_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_candidates_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_candidates_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_candidates_user_id'), ['user_id'], unique=False)

    op.create_table('mentor_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_mentor_assignments_grant_id_grants'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['candidate_id'], ['mentor_candidates.id'],
                            name=op.f('fk_mentor_assignments_candidate_id_mentor_candidates')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_mentor_assignments_assigned_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_assignments')),
    sa.UniqueConstraint('grant_id', name=op.f('uq_mentor_assignments_grant_id'))
    )
    with op.batch_alter_table('mentor_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_assignments_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('mentor_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('format', _enum('meetingformat', 'in_person', 'online'), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('logged_at', sa.DateTime(), nullable=False),
    sa.Column('status', _enum('meetingstatus', 'logged', 'confirmed', 'disputed'), nullable=False),
    sa.Column('grantee_comment', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(status = 'logged') = (answered_at IS NULL)",
                       name=op.f('ck_mentor_meetings_answered_unless_logged')),
    sa.CheckConstraint("status <> 'disputed' OR grantee_comment IS NOT NULL",
                       name=op.f('ck_mentor_meetings_dispute_has_comment')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_mentor_meetings_grant_id_grants'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_meetings_mentor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_meetings')),
    sa.UniqueConstraint('grant_id', 'held_on', name=op.f('uq_mentor_meetings_grant_id_held_on'))
    )
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_meetings_grant_id'), ['grant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_meetings_grant_id'))
    op.drop_table('mentor_meetings')
    with op.batch_alter_table('mentor_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_assignments_candidate_id'))
    op.drop_table('mentor_assignments')
    with op.batch_alter_table('mentor_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_candidates_user_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_candidates_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_candidates_competition_id'))
    op.drop_table('mentor_candidates')
