"""How a service says no, the same in every feature: values that break rules (InvalidChange, shown
next to the form's fields by `show_errors`) or an action that cannot be taken now (Refused); and
`apply_change`, which a view uses to run a service call and show either."""
import re

from flask import flash

from app.extensions import db


class InvalidChange(Exception):
    """Values that break a rule; `errors` maps each field name to its messages. Nothing changed."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors

    def __str__(self):
        return "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in self.errors.items())


class FieldErrors(dict):
    """Messages gathered per field while checking values; `raise_if_any` ends the check."""

    def add(self, field, message):
        self.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self:
            raise InvalidChange(dict(self))


class Refused(Exception):
    """The action cannot be taken now; `message` says why, in words for the person (lazy:
    translated when shown); `field` names the form field it concerns, if any. A refusal whose
    `on_record` is true has put its own record of the attempt in the session (e.g. the draw log):
    the caller commits instead of rolling back, since nothing else has changed."""

    on_record = False

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def messages(self):
        """Every reason, one message each."""
        return [self.message]

    def __str__(self):
        return str(self.message)


_NESTED_NAME = re.compile(r"^(\w+?)-(\d+)-(\w+)$")


def show_errors(form, errors):
    """Puts a service's messages next to the fields they concern (`lines-<n>-<field>`: the n-th
    entry of a list of subforms), the rest above the form."""
    for name, messages in errors.items():
        field = _field_named(form, name)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)


def _field_named(form, name):
    if name in form:
        return form[name]
    nested = _NESTED_NAME.match(name)
    if nested and nested[1] in form:
        entries = form[nested[1]].entries
        index = int(nested[2])
        if index < len(entries) and nested[3] in entries[index].form:
            return entries[index].form[nested[3]]
    return None


def show_refusal(form, refusal):
    """Puts a refusal next to the field it concerns, else above the form."""
    if refusal.field and refusal.field in form:
        form[refusal.field].errors = list(form[refusal.field].errors) + refusal.messages
    else:
        form.form_errors.extend(refusal.messages)


def apply_change(form, change, message=None):
    """Runs `change` (a service call) for a view: when it goes through, commits, flashes `message`
    and returns the call's result (True when it returns nothing); else rolls back, shows why on
    `form` (broken rules next to their fields, a refusal next to its field or above the form) and
    returns None. What was typed stays in the form. A refusal on record is committed (see
    Refused.on_record)."""
    try:
        result = change()
    except InvalidChange as error:
        db.session.rollback()
        show_errors(form, error.errors)
        return None
    except Refused as refusal:
        if refusal.on_record:
            db.session.commit()
        else:
            db.session.rollback()
        show_refusal(form, refusal)
        return None
    db.session.commit()
    if message:
        flash(message, "success")
    return True if result is None else result
