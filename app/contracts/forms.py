"""The grant forms. They parse what was typed; the rules live in app.contracts.grants, whose
messages the views put next to the fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, TextAreaField

from app import storage
from wtforms.validators import InputRequired


class AmountForm(FlaskForm):
    amount = IntegerField(_l("New amount, tenge"), validators=[InputRequired(_l("Enter the new amount."))])
    reason = TextAreaField(_l("Why is the amount lowered?"), render_kw={"rows": 3},
                           description=_l("Kept in the grant's timeline, which the grantee reads too."))


class TerminateForm(FlaskForm):
    reason = TextAreaField(_l("Why is the grant terminated?"), render_kw={"rows": 3},
                           description=_l("For example: the winner declined the grant, or did not sign the "
                                          "contract by the deadline. The grantee reads this."))


class ScanForm(FlaskForm):
    """The scan of the signed paper, for the version the grantee downloaded."""
    version = HiddenField()
    file = FileField(_l("Scan or photo of the signed contract (PDF, JPEG or PNG)"),
                     validators=[FileRequired(_l("Choose a file to upload."))],
                     render_kw={"accept": storage.accept_attribute(), "capture": "environment"})


class ContractStepForm(FlaskForm):
    """Issuing, confirming, countersigning: a button (and the CSRF token)."""
