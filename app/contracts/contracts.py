"""A grant's contract and its signing: staff issue the PDF (again: the next version, superseding
the one before), the grantee uploads a scan of the signed paper or an e-signature file over the
PDF before the signing deadline, staff confirm it, the director countersigns and the grant becomes
active. Each step takes the grant (or the contract) and the acting user, writes the grant's
timeline and the audit log; the caller commits."""
import hashlib

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_datetime, force_locale, gettext as _, lazy_gettext as _l

from app.audit.services import record as audit
from app.contracts.contract_pdf import contract_pdf
from app.contracts.grants import GrantRefused, locked_grant, mail_grantee, move, terminate, timeline_event
from app.contracts.models import Contract, GrantEventKind, GrantStatus, SignatureKind
from app.contracts.signatures import SignatureRefused, read_cms
from app.dbtypes import utcnow
from app.errors import audited
from app.extensions import db
from app.lottery.models import Draw, ReplacementReason
from app.lottery.replacement import replace_winner
from app.storage import delete_after_commit, open_stored, save_upload

# What the grantee may upload as the signature: a scan or photo, or any other file read as an
# e-signature (CMS), which has no magic bytes: it comes last.
SIGNATURE_KINDS = ("pdf", "jpeg", "png", "cms")


class ContractRefused(GrantRefused):
    """A step of the contract that cannot be taken now."""


def current_contract(grant):
    """The version of the grant's contract in force (not superseded), or None before the first."""
    return db.session.execute(
        sa.select(Contract).filter_by(grant_id=grant.id, superseded_at=None)
    ).scalar_one_or_none()


def in_force_by_grant(grant_ids):
    """{grant id: its contract in force} of the grants `grant_ids`, in one query."""
    if not grant_ids:
        return {}
    contracts = db.session.execute(sa.select(Contract).where(
        Contract.grant_id.in_(list(grant_ids)), Contract.superseded_at.is_(None))).scalars()
    return {contract.grant_id: contract for contract in contracts}


def countersigned_by_grant(grant_ids):
    """{grant id: when the director countersigned its contract in force (the day it took effect)}
    of the grants `grant_ids` whose contract in force is countersigned, in one query."""
    if not grant_ids:
        return {}
    return dict(db.session.execute(
        sa.select(Contract.grant_id, Contract.countersigned_at)
        .where(Contract.grant_id.in_(list(grant_ids)), Contract.superseded_at.is_(None),
               Contract.countersigned_at.is_not(None))).all())


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
                        signing_deadline=grant.competition.signing_deadline(now), pdf=b"", sha256="")
    with db.session.no_autoflush:  # the PDF reads the grant; the contract is not complete before it
        contract.pdf = contract_pdf(contract)
    contract.sha256 = hashlib.sha256(contract.pdf).hexdigest()
    db.session.add(contract)
    data = {"version": version, "sha256": contract.sha256,
            "signing_deadline": contract.signing_deadline.isoformat(timespec="seconds")}
    timeline_event(grant, GrantEventKind.CONTRACT_ISSUED, actor, data=data)
    db.session.flush()
    audit(actor, "contract.issued", {"grant": grant.id, "contract": contract.id, **data,
                                     "superseded": previous.version if previous is not None else None})
    mail_grantee(grant, "contracts/mail/contract_ready", version=version, reissued=previous is not None,
                 deadline=contract.signing_deadline)
    return contract


def upload_signature(grant, version, file_storage, actor):
    """The grantee's signature of `version`: a scan or photo of the signed paper (PDF, JPEG, PNG)
    or an e-signature file (CMS) over the issued PDF, told apart by content. Only the version in
    force, only before its signing deadline, not once confirmed; a new upload replaces the one
    before. An e-signature must be over this version's PDF, by the grantee (the IIN of its
    certificate), and is checked against the NCA root certificates when they are set up; a
    refused one stays on record in the audit log."""
    grant = locked_grant(grant)
    contract = current_contract(grant)
    if contract is None or grant.status is not GrantStatus.CONTRACTING:
        raise ContractRefused(_l("There is no contract to sign on this grant now."))
    if version != contract.version:
        raise ContractRefused(_l("This version of the contract has been replaced by version %(version)s. "
                                 "Download the new version, sign it and upload it.", version=contract.version))
    if utcnow() > contract.signing_deadline:
        raise ContractRefused(_l("The deadline for signing this contract has passed. Contact the project office."))
    if contract.confirmed_at is not None:
        raise ContractRefused(_l("Your signature is already confirmed: it cannot be replaced."))
    stored = save_upload(file_storage, allowed=SIGNATURE_KINDS)
    signature = _checked_cms(grant, contract, stored, actor) if stored.kind == "cms" else None
    if contract.signature_stored_name:
        delete_after_commit(contract.signature_stored_name)
    contract.signature_kind = SignatureKind.CMS if signature else SignatureKind.SCAN
    contract.signature_stored_name, contract.signature_sha256 = stored.stored_name, stored.sha256
    contract.signature_uploaded_at = utcnow()
    contract.signer_name = signature.signer_name if signature else None
    contract.signer_iin = signature.signer_iin if signature else None
    contract.signed_at = signature.signed_at if signature else None
    contract.chain_outcome = signature.chain.outcome if signature else None
    contract.chain_detail = signature.chain.detail if signature else None
    data = {"version": contract.version, "kind": contract.signature_kind.value, "sha256": stored.sha256}
    if signature:
        data.update(signer_name=signature.signer_name, chain=signature.chain.outcome.value)
    timeline_event(grant, GrantEventKind.CMS_UPLOADED if signature else GrantEventKind.SCAN_UPLOADED, actor,
                   data=dict(data))
    db.session.flush()
    if signature:  # the IIN and the chain's certificates are for the audit log, not the timeline
        data.update(signer_iin=signature.signer_iin, chain_detail=signature.chain.detail,
                    digest=signature.digest_algorithm,
                    signed_at=signature.signed_at.isoformat(timespec="seconds") if signature.signed_at else None)
    audit(actor, "contract.signature_uploaded", {"grant": grant.id, "contract": contract.id, **data})
    return contract


def _checked_cms(grant, contract, stored, actor):
    """The e-signature in the stored file, checked over the contract's issued versions; a refusal
    carries the audit record of the attempt (what was read, why it was refused)."""
    with open_stored(stored.stored_name) as file:
        data = file.read()
    issued = {issued.version: issued.pdf for issued in grant.contracts}
    try:
        return read_cms(data, issued, contract.version, grant.application.iin,
                        roots_dir=current_app.config.get("NCA_ROOTS_DIR"))
    except SignatureRefused as refusal:
        refusal.record = audited(actor, "contract.signature_refused", {
            "grant": grant.id, "contract": contract.id, "version": contract.version, "sha256": stored.sha256,
            "reason": refusal.code, **refusal.facts})
        raise


def confirm(grant, actor):
    """Staff confirm that the uploaded signature (a scan they read, or an e-signature whose
    signer and chain check they see) is the grantee's, on the contract in force."""
    grant = locked_grant(grant)
    contract = current_contract(grant)
    if contract is None or contract.signature_uploaded_at is None:
        raise ContractRefused(_l("The grantee has not uploaded the signed contract yet."))
    if contract.confirmed_at is not None:
        raise ContractRefused(_l("The signature is already confirmed."))
    contract.confirmed_by_id, contract.confirmed_at = actor.id, utcnow()
    timeline_event(grant, GrantEventKind.SIGNATURE_CONFIRMED, actor, data={"version": contract.version})
    db.session.flush()
    audit(actor, "contract.confirmed", {"grant": grant.id, "contract": contract.id, "version": contract.version,
                                        "kind": contract.signature_kind.value,
                                        "signature_sha256": contract.signature_sha256})
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
    mail_grantee(grant, "contracts/mail/signature_confirmed", version=contract.version)
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
