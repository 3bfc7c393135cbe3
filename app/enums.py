"""Enums whose members carry a title for people: `NAME = "value", _l("Title")`.

`.value` is what the database stores; `.title` is a lazy string, translated when shown, so one
definition serves every language."""
import enum


class TitledEnum(enum.Enum):
    def __new__(cls, value, title):
        member = object.__new__(cls)
        member._value_ = value
        member._title = title
        return member

    @property
    def title(self):
        return self._title
