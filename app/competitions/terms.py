"""The contract terms a call sets for all its grants (DESIGN.md section 2, step 5): the days a
winner has to sign each contract version, the day the projects end, the one date the final reports
are due, and the call's own clauses of the contract in Kazakh and Russian, printed after the
standard obligations, so that an office adapts its contract per call without code. How the terms
become a contract's dates is Competition.signing_deadline and Competition.report_due_on."""
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

CONTRACT_FIELDS = ("contract_signing_days", "project_ends_on", "report_due_date",
                   "contract_clauses_kk", "contract_clauses_ru")
CLAUSE_LANGUAGES = ("kk", "ru")
SIGNING_DAYS_DEFAULT = 14
# When a call sets no date for the final reports, each is due this long after its contract's issue.
REPORT_DUE_AFTER_ISSUE = timedelta(days=180)
SIGNING_DAYS_RANGE = (1, 90)
CLAUSES_MAX = 4000  # characters in each language: a page of the contract
TERM_DAYS_MAX = 3 * 366  # a small grant's project and its report end within three years of the call


def normalized_terms(values):
    """`values` with the terms as stored: the default number of days when none is given, and
    each language's clauses one a line, trimmed, without empty lines."""
    if values["contract_signing_days"] is None:
        values["contract_signing_days"] = SIGNING_DAYS_DEFAULT
    for language in CLAUSE_LANGUAGES:
        name = f"contract_clauses_{language}"
        values[name] = "\n".join(line.strip() for line in (values[name] or "").splitlines() if line.strip())
    return values


def check_terms(values, closing_day, errors):
    """Adds to `errors` (FieldErrors) what is wrong with the terms in `values`; `closing_day` is
    the day the call closes, in Almaty (None when the window itself is wrong)."""
    low, high = SIGNING_DAYS_RANGE
    days = values["contract_signing_days"]
    if not isinstance(days, int) or isinstance(days, bool) or not low <= days <= high:
        errors.add("contract_signing_days", _l("The time to sign must be a whole number of days from %(low)s "
                                               "to %(high)s.", low=low, high=high))

    ends, due = values["project_ends_on"], values["report_due_date"]
    for name, value in (("project_ends_on", ends), ("report_due_date", due)):
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            errors.add(name, _l("Enter a date, or leave it empty."))
        elif value is not None and closing_day is not None and value <= closing_day:
            errors.add(name, _l("Choose a date after the call closes on %(date)s.", date=format_date(closing_day)))
        elif value is not None and closing_day is not None and value > closing_day + timedelta(days=TERM_DAYS_MAX):
            errors.add(name, _l("Choose a date within three years of the call's closing."))
    if not ({"project_ends_on", "report_due_date"} & errors.keys()) and ends and due and due < ends:
        errors.add("report_due_date", _l("The final report cannot be due before the projects end."))

    for language in CLAUSE_LANGUAGES:
        name = f"contract_clauses_{language}"
        if len(values[name]) > CLAUSES_MAX:
            errors.add(name, _l("The clauses can have at most %(max)s characters.", max=CLAUSES_MAX))
        errors.check_storable(name, values[name])
