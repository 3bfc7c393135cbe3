"""The forms of payments: they parse what was typed; the rules live in the services."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, FieldList, Form, FormField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from app import storage
from app.competitions.forms import WholeNumberField
from app.errors import Refused
from app.payments import decisions, exports, suppliers

BLANK_LINES = 3  # the rows a new request starts with, and the rows "More lines" adds without scripts
BIN_IIN_ATTRS = {"inputmode": "numeric", "maxlength": 14, "autocomplete": "off"}


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
    item = StringField(_l("What is bought"), render_kw={"maxlength": decisions.ITEM_MAX, "data-item": True})
    quantity = WholeNumberField(_l("Quantity"), invalid_message=_l("Enter the quantity as a whole number."),
                                render_kw={"data-quantity": True, "autocomplete": "off"})
    unit_price = WholeNumberField(_l("Price of one, tenge"),
                                  invalid_message=_l("Enter the price as a whole number of tenge."),
                                  render_kw={"data-unit-price": True, "autocomplete": "off"})

    def amount(self):
        """The line's amount for the page; None while its quantity or price is missing or out of bounds."""
        quantity, price = self.quantity.data, self.unit_price.data
        if quantity is None or price is None:
            return None
        if 0 < quantity <= decisions.QUANTITY_MAX and 0 < price <= decisions.UNIT_PRICE_MAX:
            return quantity * price
        return None


class PaymentRequestForm(FlaskForm):
    supplier_bin = StringField(_l("Supplier's BIN or IIN"), render_kw=BIN_IIN_ATTRS)
    supplier_id = SelectField(_l("…or choose the supplier from the list"), coerce=int, validate_choice=False)
    invoice_number = StringField(_l("Invoice number"), render_kw={"maxlength": decisions.INVOICE_NUMBER_MAX})
    invoice_date = DateField(_l("Invoice date"), validators=[Optional()])
    # One row more than a request may have: a form sent with too many lines is told so, not cut short.
    lines = FieldList(FormField(PaymentLineForm), min_entries=1, max_entries=decisions.LINES_MAX + 1)
    total = WholeNumberField(_l("Invoice total, tenge"),
                             invalid_message=_l("Enter the total as a whole number of tenge."),
                             render_kw={"data-total": True, "autocomplete": "off"})
    invoice = FileField(_l("Invoice (PDF or a photo)"),
                        render_kw={"accept": storage.accept_attribute(decisions.INVOICE_KINDS)})

    unknown_supplier = suppliers.UNKNOWN_TO_STAFF  # what is said of a BIN/IIN nobody registered

    def values(self):
        """What the services take; InvalidChange when the supplier's BIN/IIN is wrong."""
        supplier = suppliers.named_on_invoice(self.supplier_id.data, self.supplier_bin.data, self.unknown_supplier)
        return {"supplier": supplier, "invoice_number": self.invoice_number.data,
                "invoice_date": self.invoice_date.data, "total": self.total.data,
                "lines": [entry.data for entry in self.lines]}

    def chosen_invoice(self):
        """The invoice file sent with the form, or None (a refusal when it is ambiguous)."""
        return _chosen(self.invoice)

    def add_blank_lines(self, count=BLANK_LINES):
        """Blank rows at the end (a new request starts with BLANK_LINES rows), never more rows than a
        request may have lines."""
        for _row in range(min(count, decisions.LINES_MAX - len(self.lines.entries))):
            self.lines.append_entry()

    def lines_rearranged(self):
        """The lines' buttons for browsers without scripts ("More lines", a line's "Remove"): when one
        was pressed, adds blank rows or takes the line away and says True: the form is shown again,
        nothing checked, nothing saved."""
        if not self.is_submitted():
            return False
        if "more_lines" in request.form:
            self.add_blank_lines()
        elif "remove_line" in request.form:
            position = request.form["remove_line"]
            if position.isdecimal() and int(position) < len(self.lines.entries):
                self.lines.entries.pop(int(position))
            if not self.lines.entries:
                self.add_blank_lines(1)
        else:
            return False
        if any(_chosen(field) for field in self.invoice_fields()):
            self.invoice_fields()[0].errors = [_l("Choose the invoice file again: a browser does not keep a chosen "
                                                  "file when the page is shown again.")]
        return True

    def invoice_fields(self):
        return [self.invoice]


class GranteeRequestForm(PaymentRequestForm):
    """The grantee's request: the invoice photographed with the phone's camera (`capture`) or, since a
    camera input cannot pick a file, a PDF or photo chosen from the phone."""
    unknown_supplier = suppliers.UNKNOWN_TO_GRANTEE
    invoice = FileField(_l("Photograph the invoice"),
                        render_kw={"accept": "image/*,application/pdf", "capture": "environment"})
    invoice_file = FileField(_l("…or attach a file (PDF or a photo)"),
                             render_kw={"accept": storage.accept_attribute(decisions.INVOICE_KINDS)})

    def chosen_invoice(self):
        photo, file = _chosen(self.invoice), _chosen(self.invoice_file)
        if photo and file:
            raise Refused(_l("Attach the invoice once: either its photo or a file, not both."), field="invoice_file")
        return photo or file

    def invoice_fields(self):
        return [self.invoice, self.invoice_file]


def _chosen(field):
    file = field.data
    return file if file and file.filename else None


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
