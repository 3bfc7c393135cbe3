"""The visits pages under /manage/visits (Permission.MONITOR): a member's list of the grants planned
for their groups, recording a visit on a phone, a visit's page with its photos (served with their
thumbnails to those who may read the visit). A grant not planned for the member's group, or a
visit the user may not read, answers 404."""
import io

from flask import Blueprint, abort, g, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from app import storage
from app.auth.models import Role
from app.auth.permissions import Permission, current_actor, may, permission_required
from app.contracts.models import Grant
from app.errors import apply_change
from app.extensions import db
from app.monitoring import groups, photos, sections, visits  # noqa: F401  (sections: the grant page's receivers)
from app.monitoring.forms import PhotosForm, ResolveForm, VisitForm
from app.monitoring.models import CheckItem, Visit, VisitPhoto
from app.monitoring.plan import contract_days
from app.payments.decisions import almaty_today

bp = Blueprint("visits", __name__, url_prefix="/manage/visits")
MONITOR = Permission.MONITOR
# A photo never changes under its address; a browser keeps it for the day (private: behind a log-in).
PHOTO_CACHE = "private, max-age=86400"


@bp.app_template_global()
def records_visits(user):
    """Whether the navbar shows "Visits": a monitor, or anybody in a monitoring group. Asked once
    per request."""
    if not may(user, MONITOR):
        return False
    if "records_visits" not in g:
        g.records_visits = Role.MONITOR in user.roles or groups.in_a_group(user)
    return g.records_visits


@bp.app_template_global()
def visit_work(user):
    """The grants planned for `user`'s groups with their visits (the start page's card)."""
    return visits.work_of(user)


@bp.route("", endpoint="visits")
@permission_required(MONITOR)
def my_visits():
    user = current_actor()
    return render_template("monitoring/visits.html", work=visits.work_of(user), groups=groups.groups_of(user),
                           today=almaty_today())


@bp.route("/grants/<int:grant_id>/new", methods=["GET", "POST"], endpoint="record")
@permission_required(MONITOR)
def record(grant_id):
    grant = db.get_or_404(Grant, grant_id)
    entry = visits.recording_plan(current_actor(), grant)
    if entry is None:
        abort(404)
    form = VisitForm()
    form.member_ids.choices = [SelectChoice(member.id, member.email) for member in entry.group.members]
    if not form.is_submitted():
        form.visited_on.data = almaty_today()
        form.member_ids.data = [current_actor().id]
    if form.validate_on_submit():
        visit = apply_change(form, lambda: visits.record_visit(grant, form.values(), current_actor()),
                             _("The visit is recorded. Add its photos now."))
        if visit:
            return redirect(url_for(".visit", visit_id=visit.id, _anchor="visit-photos"))
    return render_template("monitoring/visit_form.html", form=form, grant=grant, group=entry.group,
                           items=list(CheckItem), purchases=visits.purchases_of(grant),
                           contract_day=contract_days([grant.id]).get(grant.id)), 422 if form.is_submitted() else 200


def _readable_visit_or_404(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    if not visits.may_read(current_actor(), visit):
        abort(404)
    return visit


def visit_page(visit, photos_form=None, resolve_form=None, status=200):
    """A visit's page; the forms given show what was sent with the reasons it was refused."""
    user = current_actor()
    return render_template(
        "monitoring/visit.html", visit=visit,
        photos_form=photos_form or PhotosForm(formdata=None), resolve_form=resolve_form or ResolveForm(formdata=None),
        may_add_photos=visits.may_add_photos(user, visit) and len(visit.photos) < photos.PHOTOS_MAX,
        may_resolve=may(user, Permission.MANAGE_MONITORING) and visit.follow_up_open,
    ), status


@bp.route("/<int:visit_id>", endpoint="visit")
@permission_required(MONITOR)
def visit(visit_id):
    return visit_page(_readable_visit_or_404(visit_id))


@bp.route("/<int:visit_id>/photos", methods=["POST"], endpoint="add_photos")
@permission_required(MONITOR)
def add_photos(visit_id):
    visit = _readable_visit_or_404(visit_id)
    if not visits.may_add_photos(current_actor(), visit):
        abort(404)
    form = PhotosForm()
    if form.validate_on_submit() and apply_change(
            form, lambda: visits.add_photos(visit, form.photos.data, current_actor()), _("The photos are added.")):
        return redirect(url_for(".visit", visit_id=visit_id, _anchor="visit-photos"))
    return visit_page(db.get_or_404(Visit, visit_id), photos_form=form, status=422)


def _photo_or_404(visit_id, photo_id):
    visit = _readable_visit_or_404(visit_id)
    photo = db.session.get(VisitPhoto, photo_id)
    if photo is None or photo.visit_id != visit.id:
        abort(404)
    return photo


def _cached(response):
    response.headers["Cache-Control"] = PHOTO_CACHE
    return response


@bp.route("/<int:visit_id>/photos/<int:visit_photo_id>", endpoint="photo")
@permission_required(MONITOR)
def photo(visit_id, visit_photo_id):
    photo = _photo_or_404(visit_id, visit_photo_id)
    path = storage.path_for(photo.stored_name)
    if not path.is_file():
        abort(404)
    return _cached(send_file(path, mimetype=storage.KINDS[photo.kind].mimetype, download_name=photo.original_name,
                             etag=photo.sha256, conditional=True))


@bp.route("/<int:visit_id>/photos/<int:visit_photo_id>/thumbnail", endpoint="thumbnail")
@permission_required(MONITOR)
def thumbnail(visit_id, visit_photo_id):
    photo = _photo_or_404(visit_id, visit_photo_id)
    return _cached(send_file(io.BytesIO(photo.thumbnail), mimetype="image/jpeg",
                             download_name=f"photo-{photo.id}-small.jpg",
                             etag=f"{photo.sha256}-{photos.THUMBNAIL_SIZE}", conditional=True))
