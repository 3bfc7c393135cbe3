"""How a service says no, the same in every feature: values that break rules (InvalidChange, shown
next to the form's fields by `show_errors`) or an action that cannot be taken now (Refused); and
`apply_change`, which a view uses to run a service call and show either.

Some refusals must stay on record although nothing changes ("refused and logged", e.g. a change of
the eligible set after the draw list's commit): the refusal carries the record of the attempt, and
whoever catches it ends the transaction with `settle`, which rolls back what the refused request
changed and then writes and commits that record alone."""
import re
import unicodedata

from flask import flash
from flask_babel import lazy_gettext as _l

from app.audit.services import record as audit
from app.extensions import db


class InvalidChange(Exception):
    """Values that break a rule; `errors` maps each field name to its messages. Nothing changed."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors

    def __str__(self):
        return "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in self.errors.items())


UNSTORABLE_TEXT = _l("This text contains an invisible control character that cannot be saved. Delete it "
                     "(or type the text again) and save.")
# Line breaks and tabs are kept in texts of several lines; every other control character (a NUL
# pasted from a broken document, say) is refused: PostgreSQL cannot store NUL in text.
_KEPT_IN_PARAGRAPHS = frozenset("\n\r\t")


class FieldErrors(dict):
    """Messages gathered per field while checking values; `raise_if_any` ends the check."""

    def add(self, field, message):
        self.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self:
            raise InvalidChange(dict(self))

    def check_storable(self, field, text, paragraphs=True):
        """Adds a message when `text` holds a control character (NUL, which no database column
        can store, and the other invisible ones); line breaks and tabs are kept in `paragraphs`."""
        if self.unstorable(text, paragraphs):
            self.add(field, UNSTORABLE_TEXT)

    def text(self, field, text, limit, missing=None, paragraphs=True):
        """`text` stripped; a message on `field` when it is empty (and `missing` says what to
        write), longer than `limit` or holds a control character."""
        text = (text or "").strip()
        if not text:
            if missing:
                self.add(field, missing)
        elif len(text) > limit:
            self.add(field, _l("At most %(max)s characters.", max=limit))
        else:
            self.check_storable(field, text, paragraphs)
        return text

    @staticmethod
    def unstorable(text, paragraphs=True):
        """Whether `text` holds a control character that `check_storable` refuses."""
        kept = _KEPT_IN_PARAGRAPHS if paragraphs else frozenset()
        return bool(text) and any(unicodedata.category(ch) == "Cc" and ch not in kept for ch in text)


class Refused(Exception):
    """The action cannot be taken now; `message` says why, in words for the person (lazy:
    translated when shown); `field` names the form field it concerns, if any.

    A refusal that must stay on record carries `record`: a function (no arguments) that writes the
    record of the attempt, for instance `audited(actor, event, data)`. `settle` calls it after the
    rollback, in a transaction of its own, so the record survives while nothing else of the
    request does."""

    def __init__(self, message, field=None, record=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.record = record

    @property
    def messages(self):
        """Every reason, one message each."""
        return [self.message]

    def __str__(self):
        return str(self.message)


def audited(actor, event, data):
    """A refusal's `record`: the audit entry `event` of `actor` with `data` (plain values, read
    when the refusal is raised), written by `settle` after the rollback."""
    return lambda: audit(actor, event, data)


def settle(refusal):
    """Ends the transaction of a request that `refusal` stopped: rolls back what the request
    changed and, when the refusal carries a record of the attempt, writes and commits it alone.
    Every caller of a service that may refuse on record ends with this: views through
    `apply_change`, the CLI, the demo."""
    db.session.rollback()
    if refusal.record is not None:
        refusal.record()
        db.session.commit()


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
    returns None. What was typed stays in the form. A refusal stays on record (see `settle`)."""
    try:
        result = change()
    except InvalidChange as error:
        db.session.rollback()
        show_errors(form, error.errors)
        return None
    except Refused as refusal:
        settle(refusal)
        show_refusal(form, refusal)
        return None
    db.session.commit()
    if message:
        flash(message, "success")
    return True if result is None else result
