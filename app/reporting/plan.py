"""The plan of a call's report to the Operator, as the manager configures it (app.reporting.models):
the header's texts, tasks, activities with their indicators, the effect table and the partners.
Every change takes the acting user, is checked (lengths, control characters, fact keys, positions,
dates, amounts: a broken rule raises InvalidChange naming the field, and nothing changes) and is
audited; the caller commits. Values come as dicts of the models' column names; a list of rows
(indicators, effects, partners) names its fields `<list>-<n>-<field>` as the forms do."""
import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.audit.services import record as audit
from app.competitions.services import in_years, years_message
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.reporting import standard_plan
from app.reporting.fact_values import FACTS
from app.reporting.models import (CONTACTS_MAX, NAME_MAX, SHORT_MAX, TEXT_MAX, EffectRow, Partner, PlanActivity,
                                  PlanIndicator, PlanTask, ReportHeader)

LANGUAGES = ("kk", "ru")
POSITION_MAX = 1000
AMOUNT_MAX = 10**12  # tenge: more than any programme's grant
# The texts of each part, in both languages, with their longest length; `True`: paragraphs.
HEADER_TEXTS = {"project_name": (NAME_MAX, False), "goal": (TEXT_MAX, True), "deviations": (TEXT_MAX, True),
                "achievement": (TEXT_MAX, True), "results": (TEXT_MAX, True), "partners_analysis": (TEXT_MAX, True)}
TASK_TEXTS = {"title": (TEXT_MAX, True)}
ACTIVITY_TEXTS = {"activity": (TEXT_MAX, True), "dates": (SHORT_MAX, False), "place": (SHORT_MAX, False),
                  "participants": (SHORT_MAX, False), "results": (TEXT_MAX, True), "effect": (TEXT_MAX, True)}
INDICATOR_TEXTS = {"name": (NAME_MAX, False), "plan": (SHORT_MAX, False), "fact": (SHORT_MAX, False)}
EFFECT_TEXTS = {"name": (NAME_MAX, False), "unit": (SHORT_MAX, False), "plan": (SHORT_MAX, False),
                "fact": (SHORT_MAX, False)}
PARTNER_TEXTS = {"name": (NAME_MAX, False), "role": (TEXT_MAX, True), "note": (NAME_MAX, False)}


# --- reading ----------------------------------------------------------------------------------

def header_of(competition):
    """The header's texts of `competition`'s report; an unsaved empty one before the first save."""
    return db.session.get(ReportHeader, competition.id) or ReportHeader(
        competition_id=competition.id, **{f"{name}_{language}": "" for name in HEADER_TEXTS for language in LANGUAGES})


def tasks_of(competition):
    """The tasks in order, with their activities and indicators (three queries in all)."""
    return db.session.execute(sa.select(PlanTask).where(PlanTask.competition_id == competition.id)
                              .order_by(PlanTask.position, PlanTask.id)).scalars().all()


def effects_of(competition):
    return db.session.execute(sa.select(EffectRow).where(EffectRow.competition_id == competition.id)
                              .order_by(EffectRow.position, EffectRow.id)).scalars().all()


def partners_of(competition):
    return db.session.execute(sa.select(Partner).where(Partner.competition_id == competition.id)
                              .order_by(Partner.position, Partner.id)).scalars().all()


def is_empty(competition):
    return not (tasks_of(competition) or effects_of(competition))


def text(row, name, language):
    """`row.<name>_<language>`, else the other language's text (the report prints something)."""
    own = getattr(row, f"{name}_{language}")
    return own or getattr(row, f"{name}_{'ru' if language == 'kk' else 'kk'}")


# --- the header -------------------------------------------------------------------------------

def save_header(competition, data, actor):
    """Saves the header's texts, the period (`period_start`, `period_end`: dates or None) and the
    total amount (`total_amount`: whole tenge or None)."""
    errors = FieldErrors()
    values = _texts(errors, data, HEADER_TEXTS)
    for name in ("period_start", "period_end"):
        day = data.get(name)
        if day is not None and not in_years(day):
            errors.add(name, years_message())
        values[name] = day
    if values["period_start"] and values["period_end"] and values["period_start"] > values["period_end"]:
        errors.add("period_end", _l("The period cannot end before it starts."))
    values["total_amount"] = _whole_number(errors, "total_amount", data.get("total_amount"), 0, AMOUNT_MAX)
    errors.raise_if_any()
    header = db.session.get(ReportHeader, competition.id)
    if header is None:
        header = ReportHeader(competition_id=competition.id)
        db.session.add(header)
    changed = _assign(header, values)
    header.updated_by_id = actor.id if actor else None
    db.session.flush()
    audit(actor, "report.header_saved", {"competition": competition.id, "changed": changed})
    return header


# --- tasks and activities ---------------------------------------------------------------------

def add_task(competition, data, actor):
    values = _checked_row(data, TASK_TEXTS, _next_position(PlanTask, PlanTask.competition_id == competition.id))
    task = PlanTask(competition_id=competition.id, **values)
    db.session.add(task)
    db.session.flush()
    audit(actor, "report.task_added", {"competition": competition.id, "task": task.id, **values})
    return task


def update_task(task, data, actor):
    values = _checked_row(data, TASK_TEXTS, task.position)
    changed = _assign(task, values)
    db.session.flush()
    audit(actor, "report.task_changed", {"competition": task.competition_id, "task": task.id, "changed": changed})
    return task


def delete_task(task, actor):
    """Removes the task with its activities and indicators; the audit entry keeps its title."""
    audit(actor, "report.task_deleted", {"competition": task.competition_id, "task": task.id,
                                         "title_kk": task.title_kk, "title_ru": task.title_ru,
                                         "activities": len(task.activities)})
    db.session.delete(task)
    db.session.flush()


def add_activity(task, data, actor, indicators=()):
    """A new activity of `task`, with its `indicators` (rows as `update_activity` takes them)."""
    errors = FieldErrors()
    values = _checked_row(data, ACTIVITY_TEXTS, _next_position(PlanActivity, PlanActivity.task_id == task.id),
                          errors=errors, raise_errors=False)
    rows = _checked_rows(errors, "indicators", indicators, [], INDICATOR_TEXTS)
    errors.raise_if_any()
    activity = PlanActivity(task_id=task.id, **values)
    db.session.add(activity)
    db.session.flush()
    added = _apply_rows(rows, [], lambda row: PlanIndicator(activity=activity, **row))
    db.session.flush()
    audit(actor, "report.activity_added", {"competition": task.competition_id, "task": task.id,
                                           "activity": activity.id, **values, "indicators": added["added"]})
    return activity


def update_activity(activity, data, indicators, actor):
    """Saves the activity and its indicators: `indicators` are rows of INDICATOR_TEXTS with
    `position`, `fact_key`, and `id` (None: a new one; an empty new row is left out) and `delete`."""
    errors = FieldErrors()
    values = _checked_row(data, ACTIVITY_TEXTS, activity.position, errors=errors, raise_errors=False)
    rows = _checked_rows(errors, "indicators", indicators, activity.indicators, INDICATOR_TEXTS)
    errors.raise_if_any()
    changed = _assign(activity, values)
    changed["indicators"] = _apply_rows(rows, activity.indicators, lambda row: PlanIndicator(activity=activity, **row))
    db.session.flush()
    audit(actor, "report.activity_changed", {"competition": activity.task.competition_id, "activity": activity.id,
                                             "changed": changed})
    return activity


def delete_activity(activity, actor):
    audit(actor, "report.activity_deleted", {"competition": activity.task.competition_id, "activity": activity.id,
                                             "activity_kk": activity.activity_kk, "activity_ru": activity.activity_ru})
    db.session.delete(activity)
    db.session.flush()


# --- the effect table and the partners --------------------------------------------------------

def save_effects(competition, rows, actor):
    """Saves the rows of the social-economic effect table (rows as `update_activity`'s indicators,
    with EFFECT_TEXTS)."""
    return _save_list(competition, "effects", rows, effects_of(competition), EFFECT_TEXTS, EffectRow, actor)


def save_partners(competition, rows, actor):
    """Saves the partners (rows with PARTNER_TEXTS and `contacts`)."""
    return _save_list(competition, "partners", rows, partners_of(competition), PARTNER_TEXTS, Partner, actor)


def _save_list(competition, name, rows, existing, texts, model, actor):
    errors = FieldErrors()
    checked = _checked_rows(errors, name, rows, existing, texts)
    errors.raise_if_any()
    changed = _apply_rows(checked, existing, lambda row: model(competition_id=competition.id, **row))
    db.session.flush()
    audit(actor, f"report.{name}_saved", {"competition": competition.id, "changed": changed})


# --- the standard plan ------------------------------------------------------------------------

def fill_standard_plan(competition, actor):
    """Fills an empty plan with the standard one (seed 004's tasks, activities and indicators, the
    Operator's effect table), its plan values taken from the call. A plan already begun is refused."""
    if not is_empty(competition):
        raise Refused(_l("The plan is already begun: remove its tasks and effect rows to start again from the "
                         "standard plan."))
    tasks = standard_plan.tasks(competition)
    for position, (title, activities) in enumerate(tasks, start=1):
        task = PlanTask(competition_id=competition.id, position=position, **title)
        db.session.add(task)
        for number, (activity, indicators) in enumerate(activities, start=1):
            task.activities.append(PlanActivity(position=number, **activity, indicators=[
                PlanIndicator(position=index, **indicator) for index, indicator in enumerate(indicators, start=1)]))
    for position, row in enumerate(standard_plan.effects(competition), start=1):
        db.session.add(EffectRow(competition_id=competition.id, position=position, **row))
    db.session.flush()
    audit(actor, "report.standard_plan_filled", {"competition": competition.id, "tasks": len(tasks)})


# --- checking ---------------------------------------------------------------------------------

def _texts(errors, data, texts, prefix=""):
    return {f"{name}_{language}": errors.text(f"{prefix}{name}_{language}", data.get(f"{name}_{language}"),
                                               limit, paragraphs=paragraphs)
            for name, (limit, paragraphs) in texts.items() for language in LANGUAGES}


def _checked_row(data, texts, default_position, errors=None, raise_errors=True, prefix=""):
    """The texts and position of one row; when `texts` has a fact, its key or typed value."""
    errors = FieldErrors() if errors is None else errors
    values = _texts(errors, data, texts, prefix)
    position = data.get("position")
    values["position"] = default_position if position is None else _whole_number(
        errors, f"{prefix}position", position, 1, POSITION_MAX)
    if "fact" in texts:
        values["fact_key"] = _fact_key(errors, prefix, data.get("fact_key"), values)
    if texts is PARTNER_TEXTS:
        values["contacts"] = errors.text(f"{prefix}contacts", data.get("contacts"), CONTACTS_MAX,
                                          paragraphs=False)
    first = next(iter(texts))
    if not any(values[f"{first}_{language}"] for language in LANGUAGES):
        errors.add(f"{prefix}{first}_ru", _l("Write it in Russian or in Kazakh (or both)."))
    if raise_errors:
        errors.raise_if_any()
    return values


def _fact_key(errors, prefix, key, values):
    key = key or None
    if key is not None and key not in FACTS:
        errors.add(f"{prefix}fact_key", _l("Choose a figure from the list."))
    elif key is not None and (values["fact_kk"] or values["fact_ru"]):
        errors.add(f"{prefix}fact_key", _l("Either choose a computed figure or type the fact, not both."))
    return key


def _checked_rows(errors, name, rows, existing, texts):
    """[(row id or None, delete?, values)] of `rows`; empty new rows are left out."""
    ids = {row.id for row in existing}
    found = []
    for index, row in enumerate(rows):
        row_id, prefix = row.get("id"), f"{name}-{index}-"
        if row_id is not None and row_id not in ids:
            errors.add(f"{prefix}position", _l("This row is no longer in the plan: reload the page."))
            continue
        if row.get("delete"):
            if row_id is not None:
                found.append((row_id, True, None))
            continue
        if row_id is None and _blank(row):
            continue
        next_position = len(existing) + len(found) + 1
        found.append((row_id, False, _checked_row(row, texts, next_position, errors, False, prefix)))
    return found


def _blank(row):
    return not any(value for key, value in row.items() if key not in ("id", "delete", "position") and value)


def _apply_rows(checked, existing, make):
    """Applies the checked rows to `existing` (new rows made by `make`); says what changed."""
    by_id = {row.id: row for row in existing}
    changed = {"added": 0, "changed": 0, "deleted": 0}
    for row_id, delete, values in checked:
        if delete:
            db.session.delete(by_id[row_id])
            changed["deleted"] += 1
        elif row_id is None:
            db.session.add(make(values))
            changed["added"] += 1
        elif _assign(by_id[row_id], values):
            changed["changed"] += 1
    return changed


def _assign(row, values):
    """Sets `values` on `row`; {name: [old, new]} of what changed."""
    changed = {}
    for name, value in values.items():
        old = getattr(row, name)
        if old != value:
            changed[name] = [old.isoformat() if hasattr(old, "isoformat") else old,
                             value.isoformat() if hasattr(value, "isoformat") else value]
            setattr(row, name, value)
    return changed


def _whole_number(errors, field, value, low, high):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors.add(field, _l("Enter a whole number from %(low)s to %(high)s.", low=low, high=format_decimal(high)))
        return None
    return value


def _next_position(model, condition):
    last = db.session.execute(sa.select(sa.func.max(model.position)).where(condition)).scalar()
    return min((last or 0) + 1, POSITION_MAX)
