"""The forms of the report's plan: they parse what was typed into the values app.reporting.plan
takes; the rules (lengths, control characters, fact keys, ranges) live in the services. A list
of rows (indicators, effects, partners) shows the rows saved and a few empty ones to fill in."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectField, StringField, \
    TextAreaField
from wtforms.validators import Optional

from app.competitions.forms import WholeNumberField
from app.reporting.fact_values import FACTS
from app.reporting.plan import LANGUAGES

EMPTY_ROWS = 3
LANGUAGE_NAMES = {"kk": _l("in Kazakh"), "ru": _l("in Russian")}


class RowIdField(HiddenField):
    """The id of a saved row: a whole number, or empty for a new row."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
        elif text.isdigit() and len(text) < 10:
            self.data = int(text)
        else:
            self.data = None
            raise ValueError(_l("This row is no longer in the plan: reload the page."))


def _pair(name, label, area=False):
    """A Kazakh and a Russian field of `label` (lazy), named `<name>_kk` and `<name>_ru`."""
    field = TextAreaField if area else StringField
    return {f"{name}_{language}": field(_l("%(label)s (%(language)s)", label=label, language=LANGUAGE_NAMES[language]),
                                        render_kw={"rows": 3} if area else {}) for language in LANGUAGES}


def _fact_choices():
    return [("", _("Typed: write the fact"))] + [(key, f"{fact.title} ({key})") for key, fact in FACTS.items()]


class _Values:
    """`values()`: the data of the form's own fields as the services take them."""

    skipped = ("csrf_token", "submit")

    def values(self):
        return {name: field.data for name, field in self._fields.items()
                if name not in self.skipped and not isinstance(field, FieldList)}


class _Row(_Values):
    def values(self):
        values = super().values()
        values["delete"] = bool(values.get("delete"))
        return values


_ROW = {"id": RowIdField(), "delete": BooleanField(_l("Remove")),
        "position": WholeNumberField(_l("No."), validators=[Optional()])}
_PLAN_AND_FACT = {**_pair("plan", _l("Plan")), "fact_key": SelectField(_l("Fact"), validate_choice=False),
                  **_pair("fact", _l("Typed fact"))}


def _row_form(name, fields):
    """A form of one row of a list: its id, removal, position and `fields`."""
    return type(name, (_Row, Form), {**_ROW, **fields})


IndicatorRow = _row_form("IndicatorRow", {**_pair("name", _l("Indicator")), **_PLAN_AND_FACT})
EffectRowForm = _row_form("EffectRowForm", {**_pair("name", _l("Indicator")), **_pair("unit", _l("Unit")),
                                            **_PLAN_AND_FACT})
PartnerRow = _row_form("PartnerRow", {**_pair("name", _l("Organisation or person")),
                                      **_pair("role", _l("Role in the project"), area=True),
                                      "contacts": StringField(_l("Contacts")), **_pair("note", _l("Note"))})


class _RowsForm(_Values, FlaskForm):
    """A form of the rows of the list `rows_name` (given saved rows as objects: `obj=`)."""

    rows_name = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for entry in self[self.rows_name].entries:
            self._with_choices(entry)

    @staticmethod
    def _with_choices(entry):
        if "fact_key" in entry.form:
            entry.form.fact_key.choices = _fact_choices()

    def add_empty_rows(self):
        """EMPTY_ROWS rows more, to fill in."""
        for _ in range(EMPTY_ROWS):
            self._with_choices(self[self.rows_name].append_entry())
        return self

    def rows(self):
        return [entry.form.values() for entry in self[self.rows_name].entries]


def _with_pairs(form_class, *pairs):
    """`form_class` with a Kazakh and a Russian field for each (name, label, paragraphs?) of `pairs`."""
    for name, label, area in pairs:
        for field_name, field in _pair(name, label, area).items():
            setattr(form_class, field_name, field)
    return form_class


class HeaderForm(_Values, FlaskForm):
    period_start = DateField(_l("Period: from"), validators=[Optional()])
    period_end = DateField(_l("Period: to"), validators=[Optional()])
    total_amount = WholeNumberField(_l("Total amount of the grant, tenge"), validators=[Optional()],
                                    description=_l("Empty: the total of the grants awarded."))


_with_pairs(HeaderForm, ("project_name", _l("Project name"), False), ("goal", _l("Goal of the project"), True),
            ("deviations", _l("Deviations from the plan and why"), True),
            ("achievement", _l("Achievement of the goal (section 2)"), True),
            ("results", _l("Results of the project (section 5)"), True),
            ("partners_analysis", _l("Contribution of the partners (section 6)"), True))


class TaskForm(_Values, FlaskForm):
    position = WholeNumberField(_l("No."), validators=[Optional()])


_with_pairs(TaskForm, ("title", _l("Task"), True))


class ActivityForm(_RowsForm):
    rows_name = "indicators"
    position = WholeNumberField(_l("No."), validators=[Optional()])
    indicators = FieldList(FormField(IndicatorRow))


_with_pairs(ActivityForm, ("activity", _l("Activity"), True), ("dates", _l("Dates"), False),
            ("place", _l("Place"), False), ("participants", _l("Participants"), False),
            ("results", _l("Short-term results"), True), ("effect", _l("Effect"), True))


class EffectsForm(_RowsForm):
    rows_name = "effects"
    effects = FieldList(FormField(EffectRowForm))


class PartnersForm(_RowsForm):
    rows_name = "partners"
    partners = FieldList(FormField(PartnerRow))


class ActionForm(FlaskForm):
    """A button's form: only the CSRF token."""
