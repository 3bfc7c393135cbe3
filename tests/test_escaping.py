"""Typed values inside messages are escaped wherever the message is shown: Flask-Babel's lazy
strings claim to be HTML (`__html__`), so a file name or a name put into one would otherwise
reach the page as markup, next to a field, above a form or in a message flashed to the next page."""
import pytest
from flask import flash, redirect, render_template_string
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from app import create_app
from app.extensions import db
from app.screening.models import ReasonCode
from tests.applications import HTML, en  # noqa: F401
from tests.conftest import login
from tests.factories import make_open_competition, upload
from tests.screening.helpers import reject, staff_user, submitted

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_lazy_message_with_a_typed_value_is_escaped_in_a_template(app):
    message = _l("%(name)s: %(problem)s", name=SCRIPT + ".pdf", problem="refused")
    with app.test_request_context():
        rendered = render_template_string(
            "{{ message }}|{{ [message, message]|join(' ') }}|{{ message|e }}", message=message)
        assert SCRIPT not in rendered
        assert rendered.count(ESCAPED) == 4
        assert str(escape(message)) == ESCAPED + ".pdf: refused"


def test_form_errors_with_a_typed_value_are_escaped_next_to_the_field_and_above_the_form(app):
    from app.applications.forms import IdentityForm

    with app.test_request_context():
        form = IdentityForm(formdata=None)
        form.last_name.errors = [_l("%(name)s is not a name.", name=SCRIPT)]
        form.form_errors.append(_l("%(name)s is not a name.", name=SCRIPT))
        rendered = render_template_string('{% from "macros/forms.html" import field, form_errors %}'
                                          '{{ form_errors(form) }}{{ field(form.last_name) }}', form=form)
    assert SCRIPT not in rendered
    assert rendered.count(ESCAPED + " is not a name.") == 2


def test_a_flashed_lazy_message_stays_escaped_on_the_next_page(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "BABEL_DEFAULT_LOCALE": "en",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3"})

    @app.route("/flash")
    def flashing():
        flash(_l("The file %(name)s could not be read.", name=SCRIPT + ".pdf"), "error")
        return redirect("/contacts")

    client = app.test_client()
    body = client.get("/flash", follow_redirects=True).get_data(as_text=True)
    assert SCRIPT not in body
    assert f"The file {ESCAPED}.pdf could not be read." in body


@pytest.fixture
def rejected(en):
    call = make_open_competition(appeal_days=5)
    application = submitted(call, "aigerim@example.kz")
    return reject(application, staff_user("screener@example.kz"), reasons=(ReasonCode.AGE,))


def test_a_refused_appeal_file_named_like_a_script_is_shown_escaped(client, rejected):
    login(client, rejected.applicant.email)
    response = client.post(f"/my/applications/{rejected.id}/appeal", data={
        "text": "Мне 35 лет.", "documents": [upload(HTML, SCRIPT + ".pdf")],
    }, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"{ESCAPED}.pdf: This file is not of an accepted type" in body
    assert SCRIPT not in body


def test_html_typed_into_the_application_is_shown_as_text(client, en):
    from app.applications.models import Application, ApplicationStatus
    from tests.factories import make_user

    call = make_open_competition()
    applicant = make_user("aigerim@example.kz", locale="en")
    draft = Application(competition=call, applicant=applicant, status=ApplicationStatus.DRAFT, social_categories=[])
    db.session.add(draft)
    db.session.commit()
    login(client, applicant.email)
    response = client.post(f"/applications/{draft.id}/step/1", data={"last_name": SCRIPT})
    assert SCRIPT not in response.get_data(as_text=True)  # refused: the typed value shown as text
    client.post(f"/applications/{draft.id}/step/4", data={"project_title": SCRIPT, "problem": SCRIPT})
    client.post(f"/applications/{draft.id}/step/5", data={
        "lines-0-item": SCRIPT, "lines-0-quantity": "1", "lines-0-unit_price": "100", "lines-0-supplier": SCRIPT})
    for step in (4, 5):
        body = client.get(f"/applications/{draft.id}/step/{step}").get_data(as_text=True)
        assert SCRIPT not in body and ESCAPED in body
    body = client.get(f"/applications/{draft.id}/review").get_data(as_text=True)
    assert SCRIPT not in body and body.count(ESCAPED) >= 3
