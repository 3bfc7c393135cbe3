"""final reports of grantees: beneficiaries, photos, success story, review

final_reports (one per grant: the work done, the people reached in all, by gender and by the
Operator's age buckets, which add up once it is submitted; media links, the success story and the
consent to publish it, the target-group list file, the review) and final_report_photos (each photo
with its thumbnail); the grant timeline's report events (app/final_reports/models.py).

Revision ID: e3c5e7a9b2d4
Revises: e2b4d6f8a1c3
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3c5e7a9b2d4'
down_revision = 'e2b4d6f8a1c3'
branch_labels = None
depends_on = None

OLD_KINDS = ('created', 'amount_lowered', 'terminated', 'contract_issued', 'scan_uploaded', 'cms_uploaded',
             'signature_confirmed', 'countersigned')
NEW_KINDS = OLD_KINDS + ('report_submitted', 'report_returned', 'report_accepted', 'completed')
AGES = ('age_13_16', 'age_17_22', 'age_23_27', 'age_28_32', 'age_33_45', 'age_46_58', 'age_59_plus')
COUNTS = ('beneficiaries', 'female', 'male') + AGES


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    op.create_table('final_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'accepted', name='reportstatus', native_enum=False,
                                create_constraint=True, length=32), nullable=False),
    sa.Column('work_done', sa.Text(), nullable=False),
    *[sa.Column(count, sa.Integer(), nullable=False) for count in COUNTS],
    sa.Column('media_links', sa.JSON(), nullable=False),
    sa.Column('story_situation', sa.Text(), nullable=False),
    sa.Column('story_action', sa.Text(), nullable=False),
    sa.Column('story_result', sa.Text(), nullable=False),
    sa.Column('story_quote', sa.Text(), nullable=False),
    sa.Column('story_quote_by', sa.String(length=200), nullable=False),
    sa.Column('consent_to_publish', sa.Boolean(), nullable=False),
    sa.Column('target_list_stored_name', sa.String(length=64), nullable=True),
    sa.Column('target_list_original_name', sa.String(length=255), nullable=True),
    sa.Column('target_list_kind', sa.String(length=8), nullable=True),
    sa.Column('target_list_sha256', sa.String(length=64), nullable=True),
    sa.Column('target_list_size', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(" AND ".join(f"{count} >= 0" for count in COUNTS),
                       name=op.f('ck_final_reports_counts_not_negative')),
    sa.CheckConstraint("status = 'draft' OR (beneficiaries > 0 AND female + male = beneficiaries AND "
                       + " + ".join(AGES) + " = beneficiaries)",
                       name=op.f('ck_final_reports_counts_add_up_when_submitted')),
    sa.CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL",
                       name=op.f('ck_final_reports_submitted_at_when_submitted')),
    sa.CheckConstraint("(status = 'returned') = (comments IS NOT NULL)",
                       name=op.f('ck_final_reports_comments_when_returned')),
    sa.CheckConstraint("(status = 'accepted') = (accepted_at IS NOT NULL)",
                       name=op.f('ck_final_reports_accepted_at_when_accepted')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_final_reports_grant_id_grants')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_final_reports_accepted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_final_reports')),
    sa.UniqueConstraint('grant_id', name=op.f('uq_final_reports_grant_id'))
    )
    with op.batch_alter_table('final_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_reports_status'), ['status'], unique=False)

    op.create_table('final_report_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['final_reports.id'],
                            name=op.f('fk_final_report_photos_report_id_final_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_final_report_photos'))
    )
    with op.batch_alter_table('final_report_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_report_photos_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grant_events_granteventkind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_events_granteventkind'), _kinds(NEW_KINDS))


def downgrade():
    op.execute("DELETE FROM grant_events WHERE kind IN ("
               + ", ".join(f"'{kind}'" for kind in NEW_KINDS[len(OLD_KINDS):]) + ")")
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grant_events_granteventkind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_events_granteventkind'), _kinds(OLD_KINDS))
    with op.batch_alter_table('final_report_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_report_photos_report_id'))
    op.drop_table('final_report_photos')
    with op.batch_alter_table('final_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_reports_status'))
    op.drop_table('final_reports')
