"""The forms of monitoring: they parse what was typed; the rules live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from app import storage
from app.competitions.forms import WholeNumberField
from app.monitoring import groups, photos, visits
from app.monitoring.models import CheckAnswer, CheckItem, VisitRating


def _member(value):
    """A member's id as posted; anything else is no member (the service says so)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _enum_value(enum_cls, value):
    try:
        return enum_cls(value)
    except ValueError:
        return None


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), description=_l("For example: Almaty group."),
                       render_kw={"maxlength": groups.NAME_MAX})
    region_code = SelectField(_l("Region it visits"), validate_choice=False,
                              description=_l("The plan gives the grants of this region to this group."))
    member_ids = SelectMultipleField(_l("Members"), coerce=_member, validate_choice=False)

    def values(self):
        return {"name": self.name.data, "region_code": self.region_code.data, "member_ids": self.member_ids.data}


class PlanForm(FlaskForm):
    """One grant's line of the plan (the form's prefix names the grant)."""
    group_id = SelectField(_l("Group"), coerce=_member, validate_choice=False)
    planned_on = DateField(_l("Day of the visit"), validators=[Optional()])


class ProposeForm(FlaskForm):
    first_day = DateField(_l("First day of visits"), validators=[Optional()])
    per_day = WholeNumberField(_l("Visits a day per group"), default=2,
                               invalid_message=_l("Enter the number of visits as a whole number."),
                               render_kw={"maxlength": 2})


class VisitForm(FlaskForm):
    """A visit as a member records it on a phone; a radio button and a comment per checklist item
    are added below the class."""
    visited_on = DateField(_l("Day of the visit"), validators=[Optional()])
    member_ids = SelectMultipleField(_l("Members of the group who were there"), coerce=_member,
                                     validate_choice=False)
    others_present = TextAreaField(_l("Who else was there"), description=_l("The grantee, participants, partners."),
                                   render_kw={"rows": 2, "maxlength": visits.OTHERS_MAX})
    findings = TextAreaField(_l("Findings"), render_kw={"rows": 5, "maxlength": visits.FINDINGS_MAX})
    rating = RadioField(_l("Rating"), choices=[SelectChoice(rating.value, rating.title) for rating in VisitRating],
                        validate_choice=False)

    def check(self, item):
        return self[f"check_{item.value}"]

    def comment(self, item):
        return self[f"comment_{item.value}"]

    def values(self):
        return {
            "visited_on": self.visited_on.data, "member_ids": self.member_ids.data,
            "others_present": self.others_present.data, "findings": self.findings.data,
            "rating": _enum_value(VisitRating, self.rating.data),
            "checks": {item: (_enum_value(CheckAnswer, self.check(item).data), self.comment(item).data)
                       for item in CheckItem},
        }


for _item in CheckItem:
    setattr(VisitForm, f"check_{_item.value}", RadioField(
        _item.title, choices=[SelectChoice(answer.value, answer.title) for answer in CheckAnswer],
        validate_choice=False))
    setattr(VisitForm, f"comment_{_item.value}", StringField(
        _l("Comment"), render_kw={"maxlength": visits.COMMENT_MAX}))
del _item


class PhotosForm(FlaskForm):
    photos = MultipleFileField(_l("Photos (JPEG or PNG)"),
                               description=_l("Up to %(max)s photos per visit; choose several at once.",
                                              max=photos.PHOTOS_MAX),
                               render_kw={"accept": storage.accept_attribute(photos.PHOTO_KINDS)})


class ResolveForm(FlaskForm):
    note = TextAreaField(_l("What was done"), render_kw={"rows": 3, "maxlength": visits.NOTE_MAX})

