"""surveys: invitations per stage and answers (app/surveys/models.py)

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
    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('application', 'screening', 'mentoring', 'project', name='surveystage', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 1 AND 5', name=op.f('ck_survey_invitations_score_from_1_to_5')),
    sa.CheckConstraint('(answered_at IS NULL) = (score IS NULL)', name=op.f('ck_survey_invitations_answered_with_score')),
    sa.CheckConstraint('comment IS NULL OR answered_at IS NOT NULL', name=op.f('ck_survey_invitations_comment_when_answered')),
    sa.CheckConstraint("(stage IN ('mentoring', 'project')) = (grant_id IS NOT NULL)", name=op.f('ck_survey_invitations_grant_for_grant_stages')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_survey_invitations_competition_id_competitions')),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_survey_invitations_person_id_users')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_survey_invitations_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_survey_invitations_grant_id_grants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitations')),
    sa.UniqueConstraint('person_id', 'stage', 'application_id', name=op.f('uq_survey_invitations_person_id_stage_application_id')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_survey_invitations_token_sha256'))
    )
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitations_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitations_competition_id'), ['competition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitations_competition_id'))
        batch_op.drop_index(batch_op.f('ix_survey_invitations_application_id'))
    op.drop_table('survey_invitations')
