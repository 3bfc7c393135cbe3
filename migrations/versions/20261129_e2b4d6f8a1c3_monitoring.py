"""monitoring: groups, the visit plan, visits, checklists, findings, photos (app/monitoring/models.py)

Revision ID: e2b4d6f8a1c3
Revises: e1a9c3d5f7b2
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2b4d6f8a1c3'
down_revision = 'e1a9c3d5f7b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_monitoring_groups_name'))
    )
    op.create_table('monitoring_group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['monitoring_groups.id'],
                            name=op.f('fk_monitoring_group_members_group_id_monitoring_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_monitoring_group_members_user_id_users')),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_monitoring_group_members'))
    )
    with op.batch_alter_table('monitoring_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('monitoring_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('planned_by_id', sa.Integer(), nullable=True),
    sa.Column('planned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_monitoring_plan_grant_id_grants'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['monitoring_groups.id'],
                            name=op.f('fk_monitoring_plan_group_id_monitoring_groups')),
    sa.ForeignKeyConstraint(['planned_by_id'], ['users.id'], name=op.f('fk_monitoring_plan_planned_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_plan')),
    sa.UniqueConstraint('grant_id', name=op.f('uq_monitoring_plan_grant_id'))
    )
    with op.batch_alter_table('monitoring_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_plan_group_id'), ['group_id'], unique=False)

    op.create_table('monitoring_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('others_present', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('rating', sa.Enum('good', 'satisfactory', 'poor', name='visitrating', native_enum=False,
                                create_constraint=True, length=32), nullable=False),
    sa.Column('needs_follow_up', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.CheckConstraint('(resolved_at IS NULL) = (resolution IS NULL)',
                       name=op.f('ck_monitoring_visits_resolved_with_a_note')),
    sa.CheckConstraint('needs_follow_up OR resolved_at IS NULL',
                       name=op.f('ck_monitoring_visits_resolved_only_when_raised')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_monitoring_visits_grant_id_grants'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['monitoring_groups.id'],
                            name=op.f('fk_monitoring_visits_group_id_monitoring_groups')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_monitoring_visits_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_monitoring_visits_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_visits')),
    sa.UniqueConstraint('grant_id', 'group_id', 'visited_on',
                        name=op.f('uq_monitoring_visits_grant_id_group_id_visited_on'))
    )
    with op.batch_alter_table('monitoring_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_visits_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_visits_group_id'), ['group_id'], unique=False)

    op.create_table('monitoring_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_monitoring_photos_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['monitoring_visits.id'],
                            name=op.f('fk_monitoring_photos_visit_id_monitoring_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_monitoring_photos_stored_name'))
    )
    with op.batch_alter_table('monitoring_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_photos_visit_id'), ['visit_id'], unique=False)

    op.create_table('monitoring_visit_checks',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.Enum('purchases_in_place', 'purchases_in_use', 'activity_running', 'beneficiaries_served',
                              'matches_application', name='checkitem', native_enum=False, create_constraint=True,
                              length=32), nullable=False),
    sa.Column('answer', sa.Enum('yes', 'partly', 'no', name='checkanswer', native_enum=False, create_constraint=True,
                                length=32), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['visit_id'], ['monitoring_visits.id'],
                            name=op.f('fk_monitoring_visit_checks_visit_id_monitoring_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'item', name=op.f('pk_monitoring_visit_checks'))
    )
    op.create_table('monitoring_visit_members',
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_monitoring_visit_members_user_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['monitoring_visits.id'],
                            name=op.f('fk_monitoring_visit_members_visit_id_monitoring_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_id', 'user_id', name=op.f('pk_monitoring_visit_members'))
    )


def downgrade():
    op.drop_table('monitoring_visit_members')
    op.drop_table('monitoring_visit_checks')
    with op.batch_alter_table('monitoring_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_photos_visit_id'))
    op.drop_table('monitoring_photos')
    with op.batch_alter_table('monitoring_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_visits_group_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_visits_grant_id'))
    op.drop_table('monitoring_visits')
    with op.batch_alter_table('monitoring_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_plan_group_id'))
    op.drop_table('monitoring_plan')
    with op.batch_alter_table('monitoring_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_group_members_user_id'))
    op.drop_table('monitoring_group_members')
    op.drop_table('monitoring_groups')
