"""The mentor's pages under /manage/mentees (MENTOR): their grantees with the next meeting due,
one grantee's meetings and months, and logging a meeting on a phone; a grant that is not theirs
answers 404. And the grantee's answer to a meeting under /my/grants/<id>/meetings: confirm, or
dispute with a comment (somebody else's grant or meeting answers 404)."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.permissions import Permission, current_actor, permission_required
from app.contracts.models import Grant
from app.errors import apply_change
from app.extensions import db
from app.mentoring import meetings
from app.mentoring.assignment import assignment_of
from app.mentoring.forms import ButtonForm, DisputeForm, MeetingForm
from app.mentoring.models import Meeting, MeetingFormat

mentor_bp = Blueprint("mentees", __name__, url_prefix="/manage/mentees")
my_bp = Blueprint("my_mentoring", __name__, url_prefix="/my/grants/<int:grant_id>/meetings")


# --- the mentor -----------------------------------------------------------------------------

def _mentees_grant_or_404(grant_id):
    grant = db.session.get(Grant, grant_id)
    if grant is None or not meetings.is_mentor_of(current_user, grant):
        abort(404)
    return grant


@mentor_bp.route("")
@permission_required(Permission.MENTOR)
def mentees():
    return render_template("mentoring/mentees.html", mentees=meetings.mentees_of(current_user))


@mentor_bp.route("/<int:grant_id>")
@permission_required(Permission.MENTOR)
def mentee(grant_id):
    grant = _mentees_grant_or_404(grant_id)
    return render_template("mentoring/mentee.html", grant=grant, application=grant.application,
                           schedule=meetings.schedule_of(grant))


@mentor_bp.route("/<int:grant_id>/meetings/new", methods=["GET", "POST"])
@permission_required(Permission.MENTOR)
def log_meeting(grant_id):
    """A form that takes under a minute on a phone: the date is today, the format two buttons."""
    grant = _mentees_grant_or_404(grant_id)
    form = MeetingForm()
    if not form.is_submitted():
        form.held_on.data = meetings.today_in_almaty()
        form.format.data = MeetingFormat.IN_PERSON.value
    if form.validate_on_submit() and apply_change(
            form, lambda: meetings.log_meeting(grant, form.values(), current_actor()),
            _("The meeting is logged. The grantee will be asked to confirm it.")):
        return redirect(url_for(".mentee", grant_id=grant_id))
    return render_template("mentoring/meeting_form.html", grant=grant, form=form,
                           today=meetings.today_in_almaty()), 422 if form.is_submitted() else 200


# --- the grantee ----------------------------------------------------------------------------

def _own_meeting_or_404(grant_id, meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    if (meeting is None or meeting.grant_id != grant_id
            or meeting.grant.application.applicant_id != current_user.id):
        abort(404)
    return meeting


def _meeting_page(meeting, confirm_form=None, dispute_form=None, status=200):
    return render_template("mentoring/my_meeting.html", meeting=meeting, grant=meeting.grant,
                           assignment=assignment_of(meeting.grant),
                           confirm_form=confirm_form or ButtonForm(formdata=None),
                           dispute_form=dispute_form or DisputeForm(formdata=None)), status


@my_bp.route("/<int:meeting_id>")
@login_required
def meeting(grant_id, meeting_id):
    return _meeting_page(_own_meeting_or_404(grant_id, meeting_id))


@my_bp.route("/<int:meeting_id>/confirm", methods=["POST"])
@login_required
def confirm(grant_id, meeting_id):
    meeting = _own_meeting_or_404(grant_id, meeting_id)
    form = ButtonForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: meetings.confirm(meeting, current_actor()), _("Thank you: the meeting is confirmed.")):
        return redirect(url_for("my_grants.grant", grant_id=grant_id, _anchor="mentoring"))
    return _meeting_page(_own_meeting_or_404(grant_id, meeting_id), confirm_form=form, status=422)


@my_bp.route("/<int:meeting_id>/dispute", methods=["POST"])
@login_required
def dispute(grant_id, meeting_id):
    meeting = _own_meeting_or_404(grant_id, meeting_id)
    form = DisputeForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: meetings.dispute(meeting, form.comment.data, current_actor()),
            _("Your comment is sent to the project office.")):
        return redirect(url_for("my_grants.grant", grant_id=grant_id, _anchor="mentoring"))
    return _meeting_page(_own_meeting_or_404(grant_id, meeting_id), dispute_form=form, status=422)
