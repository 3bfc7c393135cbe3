"""How a service says no, the same in every feature: values that break rules (InvalidChange, shown
next to the form's fields by `show_errors`) or an action that cannot be taken now (Refused)."""
import re


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
    """The action cannot be taken now; `message` says why, in words for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

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
