"""Mentor candidates: the public application with its CV, scoring against the selection's
criteria, the ranked list, and selection into the call's pool, which gives the person a mentor
login (a new account invited to set its password, or their staff account with the mentor role).
Each change takes the acting user (None: the public form), writes the audit log and leaves the
commit to the caller."""
import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from app.audit.services import record as audit
from app.auth import services as auth
from app.auth.models import Role, UserRole
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.kz.regions import get_region
from app.mail.services import queue_mail
from app.mentoring.models import (CANDIDATE_TRANSITIONS, CRITERIA, MIN_EXPERIENCE_YEARS, CandidateStatus,
                                  MentorCandidate)
from app.storage import UploadError, save_upload

NAME_MAX = 200
TEXT_MAX = 4000
NOTE_MAX = 2000
YEARS_MAX = 60
CV_KINDS = ("pdf",)


def apply(competition, values, cv_file, locale):
    """A candidate's application to mentor the grantees of `competition`, from the public form.

    When the address has already applied to this call nothing is saved and the address gets a
    mail saying so; the caller answers the same way in both cases (the form does not tell
    strangers who applied). Returns the new candidate, or None."""
    errors = FieldErrors()
    name = errors.text("full_name", values.get("full_name"), NAME_MAX, _l("Enter your full name."),
                        paragraphs=False)
    experience = errors.text("project_experience", values.get("project_experience"), TEXT_MAX,
                              _l("Describe the projects or events you organised."))
    years = values.get("years_experience")
    if years is None:
        errors.add("years_experience", _l("Enter the number of years."))
    elif not 0 <= years <= YEARS_MAX:
        errors.add("years_experience", _l("Enter a number of years from 0 to %(max)s.", max=YEARS_MAX))
    region = values.get("region_code") or ""
    try:
        get_region(region)
    except KeyError:
        errors.add("region_code", _l("Choose the region where you live."))
    if values.get("education") is None:
        errors.add("education", _l("Choose your education."))
    if not values.get("consent"):
        errors.add("consent", _l("Your application can be considered only with your consent to the processing "
                                 "of your personal data."))
    email = auth.normalize_email(values.get("email") or "")
    if not email:
        errors.add("email", _l("Enter your e-mail address."))
    if not values.get("phone"):
        errors.add("phone", _l("Enter your mobile phone number."))
    errors.raise_if_any()
    earlier = db.session.execute(sa.select(MentorCandidate).filter_by(competition_id=competition.id, email=email)
                                 ).scalar_one_or_none()
    if earlier is not None:
        queue_mail(email, "mentoring/mail/candidate_again", earlier.locale, candidate=earlier, call=competition)
        return None
    try:
        cv = save_upload(cv_file, allowed=CV_KINDS)
    except UploadError as refusal:
        errors.add("cv", refusal.message)
        errors.raise_if_any()
    now = utcnow()
    candidate = MentorCandidate(
        competition_id=competition.id, full_name=name, email=email, phone=values["phone"], locale=locale,
        region_code=region, years_experience=years, project_experience=experience,
        education=values["education"], mobile=bool(values.get("mobile")), cv_stored_name=cv.stored_name,
        cv_original_name=cv.original_name, cv_sha256=cv.sha256, cv_size=cv.size, consent_at=now, applied_at=now)
    db.session.add(candidate)
    db.session.flush()
    audit(None, "mentoring.candidate_applied", {"candidate": candidate.id, "competition": competition.id,
                                                "cv_sha256": cv.sha256})
    queue_mail(email, "mentoring/mail/candidate_received", locale, candidate=candidate, call=competition)
    return candidate


def ranked(competition):
    """The call's candidates, the best score first; those not scored yet last, in the order they applied."""
    return db.session.execute(
        sa.select(MentorCandidate).filter_by(competition_id=competition.id)
        .order_by(sa.case((MentorCandidate.score_total.is_(None), 1), else_=0), MentorCandidate.score_total.desc(),
                  MentorCandidate.applied_at, MentorCandidate.id)
    ).scalars().all()


def pool_of(competition):
    """The call's mentors: its candidates selected into the pool, by name."""
    return db.session.execute(
        sa.select(MentorCandidate).filter_by(competition_id=competition.id, status=CandidateStatus.SELECTED)
        .order_by(MentorCandidate.full_name, MentorCandidate.id)
    ).scalars().all()


def _require_move(candidate, status, refusal):
    """Refuses with `refusal` unless the candidate may move to `status` (CANDIDATE_TRANSITIONS)."""
    if status not in CANDIDATE_TRANSITIONS[candidate.status]:
        raise Refused(refusal)


def score(candidate, points, note, actor):
    """Staff give each criterion its points (0 to the criterion's most); scoring again replaces
    the scores until the candidate is selected."""
    errors = FieldErrors()
    for criterion in CRITERIA:
        value = points.get(criterion.code)
        if value is None or not 0 <= value <= criterion.max_points:
            errors.add(criterion.code, _l("Give 0 to %(max)s points.", max=criterion.max_points))
    note = errors.text("note", note, NOTE_MAX)
    errors.raise_if_any()
    _require_move(candidate, CandidateStatus.SCORED,
                  _l("This candidate is in the pool already: the scores are final."))
    candidate.status = CandidateStatus.SCORED
    candidate.scores = {criterion.code: points[criterion.code] for criterion in CRITERIA}
    candidate.score_total = sum(candidate.scores.values())
    candidate.score_note = note or None
    candidate.scored_by_id, candidate.scored_at = actor.id, utcnow()
    db.session.flush()
    audit(actor, "mentoring.candidate_scored", {"candidate": candidate.id, "scores": candidate.scores,
                                                "total": candidate.score_total, "note": candidate.score_note})
    return candidate


def select(candidate, actor):
    """Selects a scored candidate who meets the requirements into the call's pool and gives them
    a mentor login."""
    if candidate.status is CandidateStatus.NEW:
        raise Refused(_l("Score the candidate before selecting them."))
    _require_move(candidate, CandidateStatus.SELECTED, _l("This candidate is in the pool already."))
    if not candidate.meets_experience:
        raise Refused(_l("A mentor needs at least %(years)s years of work with young people or in the social "
                         "sector.", years=MIN_EXPERIENCE_YEARS))
    if not candidate.meets_education:
        raise Refused(_l("A mentor needs a secondary vocational or higher education."))
    user, invited = _mentor_login(candidate, actor)
    candidate.status = CandidateStatus.SELECTED
    candidate.user_id, candidate.selected_by_id, candidate.selected_at = user.id, actor.id, utcnow()
    db.session.flush()
    audit(actor, "mentoring.candidate_selected", {"candidate": candidate.id, "user": user.id,
                                                 "competition": candidate.competition_id, "invited": invited})
    queue_mail(candidate.email, "mentoring/mail/selected", candidate.locale, candidate=candidate,
               call=candidate.competition, invited=invited, login_url=url_for("auth.login", _external=True))
    return candidate


def _mentor_login(candidate, actor):
    """(the account the mentor logs in with, whether it was invited now): a new account invited
    to set its password, or the staff account of the address with the mentor role added."""
    user = auth.find_user(candidate.email)
    if user is None:
        try:
            return auth.invite_user(candidate.email, [Role.MENTOR], candidate.locale, actor), True
        except auth.EmailTaken:  # an account made for the address at this very moment
            raise Refused(_l("An account for this e-mail was just made elsewhere. Try again.")) from None
    if not user.is_staff:
        raise Refused(_l("This e-mail belongs to an applicant's account; a mentor logs in with an address of "
                         "their own. Ask the candidate to apply again with another e-mail."))
    if not user.active:
        raise Refused(_l("The account of this e-mail is deactivated. An administrator must reactivate it first."))
    if Role.MENTOR not in user.roles:
        before = [role.value for role in Role if role in user.roles]
        user.role_links.append(UserRole(role=Role.MENTOR))
        db.session.flush()
        audit(actor, "user.roles_changed", {"user": user.id, "roles": [
            before, [role.value for role in Role if role in user.roles]]})
    if not user.has_password:
        auth.send_invitation(user)
        return user, True
    return user, False
