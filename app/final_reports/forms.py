"""The forms of final reports: they parse what was typed; the rules live in drafting.py and review.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, StringField, TextAreaField

from app import storage
from app.competitions.forms import WholeNumberField
from app.final_reports import drafting, review
from app.final_reports.models import age_column
from app.final_reports.photos import PHOTO_KINDS, TARGET_LIST_KINDS
from app.kz.age_buckets import AGE_BUCKETS

_COUNT = {"inputmode": "numeric", "autocomplete": "off"}


def _count(label):
    return WholeNumberField(label, invalid_message=_l("Enter a whole number of people."), render_kw=_COUNT)


class ReportForm(FlaskForm):
    work_done = TextAreaField(_l("Work done"), description=_l(
        "What you did in the project: what was bought and set up, which events or services took place, "
        "how many times, with whom."), render_kw={"rows": 6, "maxlength": drafting.WORK_DONE_MAX})
    beneficiaries = _count(_l("People reached, in all"))
    female = _count(_l("Women and girls"))
    male = _count(_l("Men and boys"))
    media_links = TextAreaField(_l("Links to publications"), description=_l(
        "Posts, articles, videos about the project: one web address a line."), render_kw={"rows": 3})
    story_situation = TextAreaField(_l("The situation before the project"), description=_l(
        "One person or family the project helped: how things were at the start."),
        render_kw={"rows": 3, "maxlength": drafting.STORY_PART_MAX})
    story_action = TextAreaField(_l("What the project did"), render_kw={"rows": 3,
                                                                        "maxlength": drafting.STORY_PART_MAX})
    story_result = TextAreaField(_l("The result"), description=_l("What changed for them."),
                                 render_kw={"rows": 3, "maxlength": drafting.STORY_PART_MAX})
    story_quote = TextAreaField(_l("Their words (a quote)"), render_kw={"rows": 2,
                                                                       "maxlength": drafting.STORY_PART_MAX})
    story_quote_by = StringField(_l("Whose words"), description=_l("Name, age, who they are, e.g. "
                                                                   "“Aliya, 24, a young mother”."),
                                 render_kw={"maxlength": drafting.QUOTE_BY_MAX})
    consent_to_publish = BooleanField(_l(
        "I agree that the project office publishes this success story and the photos on its website and "
        "social networks (the people in them have agreed too)."))
    photos = MultipleFileField(_l("Add photos (JPEG or PNG)"),
                               render_kw={"accept": storage.accept_attribute(PHOTO_KINDS), "multiple": True})
    target_list = FileField(_l("Target-group list (Excel, PDF or a photo)"), description=_l(
        "The list of the people who took part, if you kept one."),
        render_kw={"accept": storage.accept_attribute(TARGET_LIST_KINDS)})

    def values(self):
        """What the services take: every field but the files, by name."""
        return {name: field.data for name, field in self._fields.items()
                if name not in ("photos", "target_list", "csrf_token")}

    @property
    def age_fields(self):
        return [self[age_column(bucket)] for bucket in AGE_BUCKETS]


for _bucket in AGE_BUCKETS:
    setattr(ReportForm, age_column(_bucket), _count(_bucket.title))
del _bucket


def form_data(report):
    """What the form starts from: the report as saved (its links one a line)."""
    if report is None:
        return {}
    data = {name: getattr(report, name) for name in (*drafting.TEXTS, *drafting.COUNTS, "story_quote_by",
                                                     "consent_to_publish")}
    data["media_links"] = "\n".join(report.media_links)
    return data


class CommentsForm(FlaskForm):
    comments = TextAreaField(_l("Comments for the grantee"), description=_l(
        "What to correct or add; the grantee receives them by e-mail."),
        render_kw={"rows": 4, "maxlength": review.COMMENTS_MAX})
