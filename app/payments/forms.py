"""The forms of payments: they parse what was typed; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, FieldList, Form, FormField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from app import storage
from app.competitions.forms import WholeNumberField
from app.payments import decisions, exports

BLANK_LINES = 3


class SupplierForm(FlaskForm):
    name = StringField(_l("Supplier's name"), render_kw={"maxlength": 300})
    bin_iin = StringField(_l("BIN or IIN"), description=_l("12 digits: the BIN of a company, the IIN of an "
                                                           "individual entrepreneur."),
                          render_kw={"inputmode": "numeric", "maxlength": 14})
    iban = StringField(_l("IBAN"), description=_l("The supplier's Kazakh bank account: KZ and 18 characters."),
                       render_kw={"maxlength": 40})
    bank = StringField(_l("Bank"), render_kw={"maxlength": 200})
    address = TextAreaField(_l("Address"), render_kw={"rows": 2})


class PaymentLineForm(Form):
    item = StringField(_l("What is bought"), render_kw={"maxlength": decisions.ITEM_MAX})
    quantity = WholeNumberField(_l("Quantity"), invalid_message=_l("Enter the quantity as a whole number."))
    unit_price = WholeNumberField(_l("Price of one, tenge"),
                                  invalid_message=_l("Enter the price as a whole number of tenge."))


class PaymentRequestForm(FlaskForm):
    supplier_id = SelectField(_l("Supplier"), coerce=int, validate_choice=False)
    invoice_number = StringField(_l("Invoice number"), render_kw={"maxlength": decisions.INVOICE_NUMBER_MAX})
    invoice_date = DateField(_l("Invoice date"), validators=[Optional()])
    lines = FieldList(FormField(PaymentLineForm), min_entries=1, max_entries=decisions.LINES_MAX + BLANK_LINES)
    total = WholeNumberField(_l("Invoice total, tenge"),
                             invalid_message=_l("Enter the total as a whole number of tenge."))
    invoice = FileField(_l("Invoice (PDF or a photo)"),
                        render_kw={"accept": storage.accept_attribute(decisions.INVOICE_KINDS)})

    def values(self, supplier):
        return {"supplier": supplier, "invoice_number": self.invoice_number.data,
                "invoice_date": self.invoice_date.data, "total": self.total.data,
                "lines": [entry.data for entry in self.lines]}

    def add_blank_lines(self):
        for _row in range(BLANK_LINES):
            self.lines.append_entry()


class GranteeRequestForm(PaymentRequestForm):
    """The grantee's request: the supplier from the list or by its BIN/IIN, the invoice from a file or
    the phone's camera (`capture`)."""
    supplier_bin = StringField(_l("…or the supplier's BIN/IIN"), render_kw={"inputmode": "numeric", "maxlength": 14})
    invoice = FileField(_l("Invoice (PDF or a photo)"),
                        render_kw={"accept": "image/*,application/pdf", "capture": "environment"})


class MessageForm(FlaskForm):
    message = TextAreaField(_l("Message to the grantee"), render_kw={"rows": 3})


class PayForm(FlaskForm):
    order_number = StringField(_l("Payment order number"), render_kw={"maxlength": decisions.ORDER_NUMBER_MAX})
    order_date = DateField(_l("Payment order date"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ExportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only reads

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    fmt = SelectField(_l("Format"), choices=[SelectChoice(fmt, fmt.upper()) for fmt in exports.FORMATS])
