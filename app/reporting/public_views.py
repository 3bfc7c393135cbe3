"""The public transparency pages, no log-in: every call's results at each stage, the catalogue of
its funded projects, a page per project by its grant number, and the photos its grantee agreed to
publish. Published figures change rarely: a visitor's browser and shared caches may keep a page
a few minutes, and revalidate it cheaply after that (ETag)."""
import io

from flask import Blueprint, abort, render_template, request, send_file, session
from flask_login import current_user

from app import storage
from app.reporting import public
from app.reporting.dashboard_views import LARGEST_ID, call_or_404

bp = Blueprint("transparency", __name__)
PUBLIC_CACHE = "public, max-age=300"
PHOTO_CACHE = "public, max-age=86400"


@bp.after_request
def _cache(response):
    """A page for anybody may be kept a few minutes; one for a logged-in user (whose menu it shows),
    or one changing the visitor's session (a message shown once), is left to the site's rule
    (app.assets: not kept)."""
    if response.status_code == 200 and not current_user.is_authenticated and not session.modified:
        response.headers.setdefault("Cache-Control", PUBLIC_CACHE)
        response.vary.update(("Accept-Language", "Cookie"))
        if not response.direct_passthrough:
            response.add_etag()
            response.make_conditional(request)
    return response


@bp.route("/results")
def calls():
    return render_template("reporting/public_calls.html", calls=public.calls_with_results())


@bp.route("/calls/<int:competition_id>/transparency")
def call_results(competition_id):
    return render_template("reporting/public_call.html", results=public.call_results(call_or_404(competition_id)))


@bp.route("/calls/<int:competition_id>/projects")
def projects(competition_id):
    call = call_or_404(competition_id)
    page = request.args.get("page", 1, type=int)
    catalogue = public.catalogue(call, request.args.get("region") or None, page if page < LARGEST_ID else LARGEST_ID)
    return render_template("reporting/public_projects.html", call=call, catalogue=catalogue)


@bp.route("/projects/<grant_number>")
def project(grant_number):
    found = public.project(grant_number)
    if found is None:
        abort(404)
    return render_template("reporting/public_project.html", project=found, call=found.grant.competition)


@bp.route("/projects/<grant_number>/photos/<int:photo_id>.jpg")
def photo(grant_number, photo_id):
    """A photo's small copy (made by the server from the cleaned picture: no camera data), only
    while the grantee's consent to publish stands."""
    found = public.public_photo(grant_number, photo_id) if photo_id <= LARGEST_ID else None
    if found is None:
        abort(404)
    response = send_file(io.BytesIO(found.thumbnail), mimetype=storage.KINDS["jpeg"].mimetype,
                         etag=found.sha256, max_age=None)
    response.headers["Cache-Control"] = PHOTO_CACHE
    return response
