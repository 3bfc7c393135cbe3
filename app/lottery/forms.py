"""The manager's draw forms. They parse what was typed; the rules live in app.lottery.lifecycle
and app.lottery.replacement, whose refusals the views put next to the fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.lottery.engine import ALGORITHMS, DEFAULT_ALGORITHM, RFC3797, SHA256_RANK
from app.lottery.models import ReplacementReason

ALGORITHM_TITLES = {
    SHA256_RANK: _l("sha256-rank/1: every ticket gets a SHA-256 score from the seed (recommended)"),
    RFC3797: _l("rfc3797/1: IETF RFC 3797 selection; every source must be whole numbers"),
}


class PrepareForm(FlaskForm):
    algorithm = SelectField(_l("Algorithm"), default=DEFAULT_ALGORITHM, validate_choice=False,
                            choices=[SelectChoice(code, ALGORITHM_TITLES[code]) for code in ALGORITHMS])
    source_rule = TextAreaField(
        _l("Rule for the random sources"), validators=[InputRequired(_l("Describe how the sources will be taken."))],
        render_kw={"rows": 4},
        description=_l("Announced with the list, before anyone can know the sources. For example: "
                       "\"Three observers each draw a number from 1 to 99 from a bag at the live event; "
                       "the sources are their numbers in the order drawn.\""))
    # The version of the draft on the page (empty: there was none), so that a second "prepare" sent
    # at the same moment is refused instead of preparing the draw twice.
    version = HiddenField()

    def seen_version(self):
        """The version of the draft the manager saw; 0 when there was none."""
        value = str(self.version.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


class ConfirmForm(FlaskForm):
    """A button that changes the draw: only the CSRF token."""


class ObserverForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Enter the observer's name."))])
    organisation = StringField(_l("Organisation"),
                               validators=[InputRequired(_l("Enter the organisation the observer represents."))],
                               description=_l("A state body, an NGO, the media..."))


class SourcesForm(FlaskForm):
    sources = TextAreaField(
        _l("Random sources"), render_kw={"rows": 4, "autocomplete": "off"},
        description=_l("One source per line, exactly as the announced rule says. They cannot be changed "
                       "once entered."))

    def source_list(self):
        """The non-blank lines, in order."""
        return [line.strip() for line in (self.sources.data or "").splitlines() if line.strip()]


class ReplaceForm(FlaskForm):
    ticket = SelectField(_l("Winner who leaves"), validate_choice=False,
                         validators=[InputRequired(_l("Choose the winner."))])
    reason = SelectField(_l("Reason"), validate_choice=False,
                         choices=[SelectChoice(reason.value, reason.title) for reason in ReplacementReason])
    comment = TextAreaField(_l("Comment (staff only)"), render_kw={"rows": 2},
                            description=_l("Not published. The public log shows only the ticket and the reason."))
