"""contract signatures: an e-signature (CMS) file or a scan, the signer read from the certificate, the chain check's outcome

The scan's columns become the signature's (a scan or an e-signature file); the rows signed by scan
so far are scans. The grant timeline gains the e-signature's event.

Revision ID: d1c4a7e2b9f0
Revises: c7a41e2d9b10
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1c4a7e2b9f0'
down_revision = 'c7a41e2d9b10'
branch_labels = None
depends_on = None

RENAMED = (('scan_stored_name', 'signature_stored_name', sa.String(length=64)),
           ('scan_sha256', 'signature_sha256', sa.String(length=64)),
           ('scan_uploaded_at', 'signature_uploaded_at', sa.DateTime()))
OLD_KINDS = ('created', 'amount_lowered', 'terminated', 'contract_issued', 'scan_uploaded', 'signature_confirmed',
             'countersigned')
NEW_KINDS = ('created', 'amount_lowered', 'terminated', 'contract_issued', 'scan_uploaded', 'cms_uploaded',
             'signature_confirmed', 'countersigned')
SIGNATURE_COMPLETE = ("(signature_kind IS NULL) = (signature_stored_name IS NULL) "
                      "AND (signature_kind IS NULL) = (signature_sha256 IS NULL) "
                      "AND (signature_kind IS NULL) = (signature_uploaded_at IS NULL)")
SIGNER_OF_CMS = ("(COALESCE(signature_kind, '') = 'cms') = (signer_iin IS NOT NULL AND signer_name IS NOT NULL "
                 "AND chain_outcome IS NOT NULL)")


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_contracts_confirmed_after_scan'), type_='check')
        for old, new, type_ in RENAMED:
            batch_op.alter_column(old, new_column_name=new, existing_type=type_, existing_nullable=True)
        batch_op.add_column(sa.Column('signature_kind', _enum('signaturekind', 'scan', 'cms'), nullable=True))
        batch_op.add_column(sa.Column('signer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signer_iin', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('signed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('chain_outcome', _enum('chainoutcome', 'not_configured', 'valid', 'invalid'),
                                      nullable=True))
        batch_op.add_column(sa.Column('chain_detail', sa.Text(), nullable=True))
    op.execute("UPDATE contracts SET signature_kind = 'scan' WHERE signature_stored_name IS NOT NULL")
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_contracts_signature_complete'), SIGNATURE_COMPLETE)
        batch_op.create_check_constraint(batch_op.f('ck_contracts_signer_of_cms'), SIGNER_OF_CMS)
        batch_op.create_check_constraint(batch_op.f('ck_contracts_confirmed_after_upload'),
                                         'confirmed_at IS NULL OR signature_uploaded_at IS NOT NULL')
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grant_events_granteventkind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_events_granteventkind'), _kinds(NEW_KINDS))


def downgrade():
    # An e-signature's event and columns have no place before this revision: they go.
    op.execute("DELETE FROM grant_events WHERE kind = 'cms_uploaded'")
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grant_events_granteventkind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_events_granteventkind'), _kinds(OLD_KINDS))
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_contracts_confirmed_after_upload'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_contracts_signer_of_cms'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_contracts_signature_complete'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_contracts_chainoutcome'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_contracts_signaturekind'), type_='check')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('chain_detail')
        batch_op.drop_column('chain_outcome')
        batch_op.drop_column('signed_at')
        batch_op.drop_column('signer_iin')
        batch_op.drop_column('signer_name')
        batch_op.drop_column('signature_kind')
        for old, new, type_ in RENAMED:
            batch_op.alter_column(new, new_column_name=old, existing_type=type_, existing_nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_contracts_confirmed_after_scan'),
                                         'confirmed_at IS NULL OR scan_uploaded_at IS NOT NULL')
