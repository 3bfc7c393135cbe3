"""Managing monitoring under /manage/monitoring (Permission.MANAGE_MONITORING): the groups, each
call's visit plan (one grant at a time, or a proposal for the grants not covered) and resolving
the follow-ups that visits raised."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import SelectChoice

from app.auth.permissions import Permission, current_actor, permission_required
from app.competitions.models import Competition
from app.competitions.services import all_competitions
from app.contracts.models import Grant
from app.errors import apply_change
from app.extensions import db
from app.i18n import current_language
from app.kz.regions import all_regions
from app.monitoring import groups, plan, visits
from app.monitoring.forms import GroupForm, PlanForm, ProposeForm, ResolveForm
from app.monitoring.models import MonitoringGroup, Visit
from app.monitoring.visit_views import visit_page
from app.payments.decisions import almaty_today

bp = Blueprint("monitoring", __name__, url_prefix="/manage/monitoring")
MANAGE = Permission.MANAGE_MONITORING


@bp.route("", endpoint="index")
@permission_required(MANAGE)
def index():
    return render_template("monitoring/index.html", groups=groups.all_groups(), competitions=all_competitions(),
                           coverage=plan.coverage(), follow_ups=visits.open_follow_ups())


# --- groups -------------------------------------------------------------------------------------

def _group_page(form, group):
    language = current_language()
    form.region_code.choices = [SelectChoice("", _("Any region"))] + [
        SelectChoice(region.code, region.name(language)) for region in all_regions()]
    form.member_ids.choices = [SelectChoice(user.id, user.email) for user in groups.member_candidates()]
    return render_template("monitoring/group_form.html", form=form, group=group)


@bp.route("/groups/new", methods=["GET", "POST"], endpoint="new_group")
@permission_required(MANAGE)
def new_group():
    form = GroupForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: groups.create_group(form.values(), current_actor()), _("The group is saved.")):
        return redirect(url_for(".index"))
    return _group_page(form, None)


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"], endpoint="group")
@permission_required(MANAGE)
def edit_group(group_id):
    group = db.get_or_404(MonitoringGroup, group_id)
    form = GroupForm(data={"name": group.name, "region_code": group.region_code or "",
                           "member_ids": [member.id for member in group.members]})
    if form.validate_on_submit() and apply_change(
            form, lambda: groups.update_group(group, form.values(), current_actor()), _("The group is saved.")):
        return redirect(url_for(".index"))
    return _group_page(form, group)


# --- the plan -------------------------------------------------------------------------------------

def _plan_page(competition, sent=None, propose_form=None, status=200):
    """The call's plan; `sent` is {grant id: the line's form as sent}, shown with its errors."""
    the_plan = plan.plan_of(competition)
    all_groups = groups.all_groups()
    choices = [SelectChoice("", _("Choose…"))] + [SelectChoice(group.id, group.name) for group in all_groups]
    forms = {}
    for row in the_plan.rows:
        form = (sent or {}).get(row.grant.id) or PlanForm(
            prefix=f"grant-{row.grant.id}", formdata=None,
            data={"group_id": row.planned.group_id if row.planned else "",
                  "planned_on": row.planned.planned_on if row.planned else None})
        form.group_id.choices = choices
        forms[row.grant.id] = form
    propose_form = propose_form or ProposeForm(formdata=None, first_day=plan.next_working_day(almaty_today()))
    return render_template("monitoring/plan.html", competition=competition, plan=the_plan, forms=forms,
                           propose_form=propose_form, groups=all_groups), status


@bp.route("/calls/<int:competition_id>", endpoint="plan")
@permission_required(MANAGE)
def plan_page(competition_id):
    return _plan_page(db.get_or_404(Competition, competition_id))


@bp.route("/calls/<int:competition_id>/grants/<int:grant_id>", methods=["POST"], endpoint="plan_grant")
@permission_required(MANAGE)
def plan_grant(competition_id, grant_id):
    competition = db.get_or_404(Competition, competition_id)
    grant = db.get_or_404(Grant, grant_id)
    if grant.competition_id != competition.id:
        abort(404)
    form = PlanForm(prefix=f"grant-{grant.id}")
    group = next((group for group in groups.all_groups() if group.id == form.group_id.data), None)
    if form.validate_on_submit() and apply_change(
            form, lambda: plan.plan_grant(grant, group, form.planned_on.data, current_actor()),
            _("The visit to grant %(number)s is planned.", number=grant.number)):
        return redirect(url_for(".plan", competition_id=competition_id, _anchor=f"grant-{grant_id}"))
    return _plan_page(competition, sent={grant_id: form}, status=422)


@bp.route("/calls/<int:competition_id>/propose", methods=["POST"], endpoint="propose")
@permission_required(MANAGE)
def propose(competition_id):
    competition = db.get_or_404(Competition, competition_id)
    form = ProposeForm()
    if form.validate_on_submit():
        entries = apply_change(
            form, lambda: plan.propose(competition, form.first_day.data, form.per_day.data, current_actor()))
        if entries:
            flash(ngettext("%(num)d grant is planned: check the plan and change any line.",
                           "%(num)d grants are planned: check the plan and change any line.", len(entries)), "success")
            return redirect(url_for(".plan", competition_id=competition_id))
    return _plan_page(competition, propose_form=form, status=422)


# --- follow-ups -----------------------------------------------------------------------------------

@bp.route("/visits/<int:visit_id>/resolve", methods=["POST"], endpoint="resolve")
@permission_required(MANAGE)
def resolve(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    form = ResolveForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: visits.resolve_follow_up(visit, form.note.data, current_actor()),
            _("The follow-up is resolved.")):
        return redirect(url_for("visits.visit", visit_id=visit_id))
    return visit_page(db.get_or_404(Visit, visit_id), resolve_form=form, status=422)
