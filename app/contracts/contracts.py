"""A grant's contract and its signing by scan: staff issue the PDF (again: the next version,
superseding the one before), the grantee uploads the scan of the signed paper before the signing
deadline, staff confirm it, the director countersigns and the grant becomes active. Each step takes
the grant (or the contract) and the acting user, writes the grant's timeline and the audit log;
the caller commits."""
import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_datetime, force_locale, gettext as _, lazy_gettext as _l

from app.applications.notices import mail_applicant
from app.audit.services import record as audit
from app.contracts.contract_pdf import contract_pdf
from app.contracts.grants import GrantRefused, locked_grant, move, terminate, timeline_event
from app.contracts.models import Contract, GrantEventKind, GrantStatus
from app.dbtypes import utcnow
from app.extensions import db
from app.lottery.models import Draw, ReplacementReason
from app.lottery.replacement import replace_winner
from app.storage import delete_after_commit, save_upload

SIGNING_DAYS = 14  # from the issue of a version to the last moment its signed scan is accepted
REPORT_DUE_DAYS = 180  # from the issue to the final report's due date printed in the contract
SCAN_KINDS = ("pdf", "jpeg", "png")


class ContractRefused(GrantRefused):
    """A step of the contract that cannot be taken now."""


def current_contract(grant):
    """The version of the grant's contract in force (not superseded), or None before the first."""
    return db.session.execute(
        sa.select(Contract).filter_by(grant_id=grant.id, superseded_at=None)
    ).scalar_one_or_none()


def issue(grant, actor):
    """Makes the next version of the grant's contract, supersedes the version before, records the
    PDF's SHA-256 and the signing deadline."""
    grant = locked_grant(grant)
    if grant.status is not GrantStatus.CONTRACTING:
        raise ContractRefused(_l("A contract can be issued only while the grant's contract is being signed."))
    now = utcnow()
    previous = current_contract(grant)
    if previous is not None:
        previous.superseded_at = now
        db.session.flush()
    version = (previous.version + 1) if previous is not None else 1
    contract = Contract(grant=grant, version=version, issued_at=now, issued_by_id=actor.id if actor else None,
                        signing_deadline=now + timedelta(days=SIGNING_DAYS), pdf=b"", sha256="")
    with db.session.no_autoflush:  # the PDF reads the grant; the contract is not complete before it
        contract.pdf = contract_pdf(contract, (now + timedelta(days=REPORT_DUE_DAYS)).date())
    contract.sha256 = hashlib.sha256(contract.pdf).hexdigest()
    db.session.add(contract)
    data = {"version": version, "sha256": contract.sha256,
            "signing_deadline": contract.signing_deadline.isoformat(timespec="seconds")}
    timeline_event(grant, GrantEventKind.CONTRACT_ISSUED, actor, data=data)
    db.session.flush()
    audit(actor, "contract.issued", {"grant": grant.id, "contract": contract.id, **data,
                                     "superseded": previous.version if previous is not None else None})
    _mail_grantee(grant, "contracts/mail/contract_ready", version=version, reissued=previous is not None,
                  deadline=contract.signing_deadline)
    return contract


def upload_scan(grant, version, file_storage, actor):
    """The grantee's scan of the signed paper of `version` (PDF, JPEG or PNG, checked by content):
    only the version in force, only before its signing deadline, not once confirmed."""
    grant = locked_grant(grant)
    contract = current_contract(grant)
    if contract is None or grant.status is not GrantStatus.CONTRACTING:
        raise ContractRefused(_l("There is no contract to sign on this grant now."))
    if version != contract.version:
        raise ContractRefused(_l("This version of the contract has been replaced by version %(version)s. "
                                 "Download the new version, sign it and upload its scan.", version=contract.version))
    if utcnow() > contract.signing_deadline:
        raise ContractRefused(_l("The deadline for signing this contract has passed. Contact the project office."))
    if contract.confirmed_at is not None:
        raise ContractRefused(_l("Your signature is already confirmed: the scan cannot be replaced."))
    stored = save_upload(file_storage, allowed=SCAN_KINDS)
    if contract.scan_stored_name:
        delete_after_commit(contract.scan_stored_name)
    contract.scan_stored_name, contract.scan_sha256 = stored.stored_name, stored.sha256
    contract.scan_uploaded_at = utcnow()
    data = {"version": contract.version, "sha256": stored.sha256}
    timeline_event(grant, GrantEventKind.SCAN_UPLOADED, actor, data=data)
    db.session.flush()
    audit(actor, "contract.scan_uploaded", {"grant": grant.id, "contract": contract.id, **data})
    return contract


def confirm(grant, actor):
    """Staff confirm that the uploaded scan is the contract in force, signed by the grantee."""
    grant = locked_grant(grant)
    contract = current_contract(grant)
    if contract is None or contract.scan_uploaded_at is None:
        raise ContractRefused(_l("The grantee has not uploaded the signed contract yet."))
    if contract.confirmed_at is not None:
        raise ContractRefused(_l("The signature is already confirmed."))
    contract.confirmed_by_id, contract.confirmed_at = actor.id, utcnow()
    timeline_event(grant, GrantEventKind.SIGNATURE_CONFIRMED, actor, data={"version": contract.version})
    db.session.flush()
    audit(actor, "contract.confirmed", {"grant": grant.id, "contract": contract.id, "version": contract.version,
                                        "scan_sha256": contract.scan_sha256})
    return contract


def countersign(grant, actor):
    """The director countersigns the confirmed contract: the grant becomes active."""
    grant = locked_grant(grant)
    contract = current_contract(grant)
    if contract is None or contract.confirmed_at is None:
        raise ContractRefused(_l("The grantee's signature must be confirmed before the director countersigns."))
    if contract.countersigned_at is not None:
        raise ContractRefused(_l("The contract is already countersigned."))
    move(grant, GrantStatus.ACTIVE)
    contract.countersigned_by_id, contract.countersigned_at = actor.id, utcnow()
    timeline_event(grant, GrantEventKind.COUNTERSIGNED, actor,
           data={"version": contract.version, "status": GrantStatus.ACTIVE.value})
    db.session.flush()
    audit(actor, "contract.countersigned", {"grant": grant.id, "contract": contract.id, "version": contract.version})
    _mail_grantee(grant, "contracts/mail/signature_confirmed", version=contract.version)
    return contract


def deadline_missed(contract, now=None):
    """Whether the signing deadline of this version passed without the director's countersignature."""
    return (contract is not None and contract.countersigned_at is None
            and (now or utcnow()) > contract.signing_deadline)


def terminate_for_missed_deadline(grant, actor):
    """Staff end a grant whose contract in force was not signed by its deadline: the grant is
    terminated (the reason gives the deadline) and, in the same transaction, the draw's next
    reserve of the stratum takes the winner's place (its grant is made by the draw's signal).

    Returns the promoted application, or None when the stratum's reserve list is exhausted and
    the grant stays unawarded."""
    grant = locked_grant(grant)
    contract = current_contract(grant)
    if grant.status is not GrantStatus.CONTRACTING or contract is None or contract.countersigned_at is not None:
        raise ContractRefused(_l("Only a grant whose issued contract is still waiting for signatures can be "
                                 "terminated for a missed deadline."))
    if not deadline_missed(contract):
        raise ContractRefused(_l("The signing deadline (%(deadline)s) has not passed yet: the grantee can still "
                                 "sign the contract.", deadline=format_datetime(contract.signing_deadline, "short")))
    draw = db.session.execute(sa.select(Draw).filter_by(competition_id=grant.competition_id)).scalar_one_or_none()
    if draw is None:
        raise ContractRefused(_l("This call has no published draw to take a reserve from."))
    with force_locale(grant.application.applicant.locale):  # the grantee reads the reason too
        reason = _("The contract was not signed by the deadline, %(deadline)s.",
                   deadline=format_datetime(contract.signing_deadline, "short"))
    terminate(grant, reason, actor)
    promoted = replace_winner(draw, grant.application.number, ReplacementReason.MISSED_DEADLINE, actor, reason)
    audit(actor, "grant.missed_deadline", {
        "grant": grant.id, "contract": contract.id, "version": contract.version,
        "signing_deadline": contract.signing_deadline.isoformat(timespec="seconds"),
        "promoted": promoted.number if promoted is not None else None})
    return promoted


def _mail_grantee(grant, template, **context):
    """Queues mail to the grantee, in their language, in the transaction of the change."""
    mail_applicant(grant.application, template, grant=grant,
                   grant_url=url_for("my_grants.grant", grant_id=grant.id, _external=True), **context)
