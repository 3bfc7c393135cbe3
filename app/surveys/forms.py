"""The answer form: the score as five big buttons, then an optional comment."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField

from app.surveys.models import SCORES


class AnswerForm(FlaskForm):
    # The service checks the score (any text may come in): the form only carries it.
    score = RadioField(_l("Your score"), choices=[SelectChoice(str(score), title) for score, title in SCORES.items()],
                       validate_choice=False)
    comment = TextAreaField(
        _l("Comment (optional)"), render_kw={"rows": 4},
        description=_l("What went well, what should be better? Your answer reaches the project office "
                       "without your name."))
