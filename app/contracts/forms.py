"""The grant forms. They parse what was typed; the rules live in app.contracts.grants, whose
messages the views put next to the fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, TextAreaField

from app import storage
from app.contracts.contracts import SIGNATURE_KINDS
from wtforms.validators import InputRequired


class AmountForm(FlaskForm):
    amount = IntegerField(_l("New amount, tenge"), validators=[InputRequired(_l("Enter the new amount."))])
    reason = TextAreaField(_l("Why is the amount lowered?"), render_kw={"rows": 3},
                           description=_l("Kept in the grant's timeline, which the grantee reads too."))


class TerminateForm(FlaskForm):
    reason = TextAreaField(_l("Why is the grant terminated?"), render_kw={"rows": 3},
                           description=_l("For example: the winner declined the grant, or did not sign the "
                                          "contract by the deadline. The grantee reads this."))


class SignatureForm(FlaskForm):
    """The grantee's signature of the version they downloaded: an e-signature file or a scan. The
    input offers files and the camera alike (no `capture`: it would open the camera only)."""
    version = HiddenField()
    file = FileField(_l("The e-signature file (.cms) or the scan or photo of the signed contract"),
                     validators=[FileRequired(_l("Choose a file to upload."))],
                     description=_l("An e-signature file from eGov or NCALayer, or a PDF, JPEG or PNG."),
                     render_kw={"accept": storage.accept_attribute(SIGNATURE_KINDS) + ",.sig"})


class ContractStepForm(FlaskForm):
    """Issuing, confirming, countersigning: a button (and the CSRF token)."""
