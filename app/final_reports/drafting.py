"""The grantee's side of a final report: writing it as a draft (texts, the people reached, photos,
the target-group list, media links, the success story), and submitting it, which moves an active
grant to "Final report". Each change takes the grant and the acting user, is audited, and leaves
the commit to the caller."""
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import format_decimal, lazy_gettext as _l

from app.audit.services import record
from app.contracts.grants import locked_grant, move, timeline_event
from app.contracts.models import GrantEventKind, GrantStatus
from app.dbtypes import utcnow
from app.errors import FieldErrors, Refused
from app.extensions import db
from app.final_reports import photos as files
from app.final_reports.models import REPORT_TRANSITIONS, FinalReport, ReportStatus, age_column
from app.kz.age_buckets import AGE_BUCKETS

WORK_DONE_MAX = 10_000
STORY_PART_MAX = 3_000
QUOTE_BY_MAX = 200
COUNT_MAX = 1_000_000
LINKS_MAX = 20
LINK_MAX = 500
TEXTS = {"work_done": WORK_DONE_MAX, "story_situation": STORY_PART_MAX, "story_action": STORY_PART_MAX,
         "story_result": STORY_PART_MAX, "story_quote": STORY_PART_MAX}
COUNTS = ("beneficiaries", "female", "male", *(age_column(bucket) for bucket in AGE_BUCKETS))
# What a report must have to be submitted, and what to say when it is missing.
REQUIRED_TEXTS = {
    "work_done": _l("Describe the work done in the project."),
    "story_situation": _l("Write the situation before the project."),
    "story_action": _l("Write what the project did."),
    "story_result": _l("Write the result."),
}


def change_status(report, to, **values):
    """Moves `report` to `to` along REPORT_TRANSITIONS, with the values the new status needs."""
    if to not in REPORT_TRANSITIONS[report.status]:
        raise Refused(_l("A report that is “%(status)s” cannot become “%(to)s”.", status=report.status.title,
                         to=to.title))
    report.status = to
    for name, value in values.items():
        setattr(report, name, value)


def report_of(grant):
    return db.session.execute(sa.select(FinalReport).filter_by(grant_id=grant.id)).scalar_one_or_none()


def why_not_writable(grant, report):
    """Why the grantee cannot change the report now, or None when they can."""
    if report is not None and report.status is ReportStatus.ACCEPTED:
        return _l("The final report is accepted.")
    if report is not None and report.status is ReportStatus.SUBMITTED:
        return _l("The final report is submitted: the project office is reviewing it.")
    if grant.status is GrantStatus.TERMINATED:
        return _l("This grant is terminated: no final report is taken on it.")
    if grant.status is GrantStatus.CONTRACTING:
        return _l("The final report opens once both sides have signed the contract.")
    if grant.status is GrantStatus.COMPLETED:
        return _l("This grant is completed.")
    return None


def locked(grant):
    """The grant under its row lock and its report (or None) read again under it: every change of a
    report takes the grant's lock first, so two clicks on two workers take turns."""
    grant = locked_grant(grant)
    report = db.session.execute(sa.select(FinalReport).filter_by(grant_id=grant.id)
                                .execution_options(populate_existing=True)).scalar_one_or_none()
    return grant, report


def _writable_report(grant):
    """The grant (locked) and its report, made now if it has none; refused when it cannot change."""
    grant, report = locked(grant)
    reason = why_not_writable(grant, report)
    if reason is not None:
        raise Refused(reason)
    if report is None:
        report = FinalReport(grant=grant, status=ReportStatus.DRAFT, media_links=[])
        db.session.add(report)
    return grant, report


def _clean(values):
    """The report's fields from what was typed: texts stripped, counts whole numbers (empty: 0),
    links full web addresses. InvalidChange names every field that is wrong."""
    errors = FieldErrors()
    clean = {}
    for name, limit in TEXTS.items():
        text = (values.get(name) or "").strip()
        if len(text) > limit:
            errors.add(name, _l("At most %(max)s characters.", max=limit))
        errors.check_storable(name, text)
        clean[name] = text
    quote_by = (values.get("story_quote_by") or "").strip()
    if len(quote_by) > QUOTE_BY_MAX:
        errors.add("story_quote_by", _l("At most %(max)s characters.", max=QUOTE_BY_MAX))
    errors.check_storable("story_quote_by", quote_by, paragraphs=False)
    clean["story_quote_by"] = quote_by
    for name in COUNTS:
        count = values.get(name)
        count = 0 if count is None else count
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= COUNT_MAX:
            errors.add(name, _l("Enter a whole number from 0 to %(max)s.", max=format_decimal(COUNT_MAX)))
        clean[name] = count
    clean["media_links"] = _links(errors, values.get("media_links") or "")
    clean["consent_to_publish"] = bool(values.get("consent_to_publish"))
    errors.raise_if_any()
    return clean


def _links(errors, text):
    """The web addresses typed one a line: a missing https:// is added; anything that is not a
    web address (a javascript: link, a word) is refused, naming it."""
    errors.check_storable("media_links", text)
    links = []
    for line in text.splitlines():
        link = line.strip()
        if not link or link in links:
            continue
        if "://" not in link:
            link = "https://" + link
        if len(link) > LINK_MAX:
            errors.add("media_links", _l("A link can have at most %(max)s characters.", max=LINK_MAX))
        elif not _is_web_address(link):
            errors.add("media_links", _l("Not a web address: “%(link)s”. Enter each link in full, one a line, "
                                         "for example https://instagram.com/p/…", link=line.strip()[:80]))
        links.append(link)
    if len(links) > LINKS_MAX:
        errors.add("media_links", _l("At most %(max)s links.", max=LINKS_MAX))
    return links


def _is_web_address(link):
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(host) and "." in host.strip(".")
            and not any(ch.isspace() for ch in link))


def save_draft(grant, values, photos, target_list, actor):
    """Saves what the grantee typed (`values`: the report's fields as the form gives them), adds
    the new `photos` and replaces the target-group list when one is given. The report is made
    on the first save; a submitted, accepted or terminated one is refused."""
    grant, report = _writable_report(grant)
    clean = _clean(values)
    for name, value in clean.items():
        setattr(report, name, value)
    added = files.add_photos(report, files.chosen(photos))
    if target_list is not None and target_list.filename:
        files.replace_target_list(report, target_list)
    report.updated_at = utcnow()
    db.session.flush()
    record(actor, "final_report.saved", {
        "grant": grant.id, "report": report.id, **{name: clean[name] for name in COUNTS},
        "media_links": clean["media_links"], "consent_to_publish": clean["consent_to_publish"],
        "photos_added": [photo.sha256 for photo in added], "target_list_sha256": report.target_list_sha256})
    return report


def delete_photo(grant, photo_id, actor):
    """Takes a photo off a report the grantee may still change."""
    grant, report = _writable_report(grant)
    photo = next((photo for photo in report.photos if photo.id == photo_id), None)
    if photo is None:
        raise Refused(_l("This photo is no longer in the report."))
    files.delete_photo(report, photo)
    report.updated_at = utcnow()
    db.session.flush()
    record(actor, "final_report.photo_deleted", {"grant": grant.id, "report": report.id, "sha256": photo.sha256})
    return report


def missing_for_submission(report):
    """What the report lacks to be submitted, as FieldErrors (empty when nothing): the required
    texts, people reached, gender and age counts that add up to them, a photo."""
    errors = FieldErrors()
    for name, message in REQUIRED_TEXTS.items():
        if not getattr(report, name).strip():
            errors.add(name, message)
    total = report.beneficiaries
    if total <= 0:
        errors.add("beneficiaries", _l("Enter how many people the project reached."))
    else:
        if report.female + report.male != total:
            errors.add("male", _l("Women and men add up to %(sum)s, but the project reached %(total)s people: "
                                  "correct the numbers so that they match.",
                                  sum=report.female + report.male, total=total))
        by_age = sum(count for _bucket, count in report.age_counts)
        if by_age != total:
            errors.add(age_column(AGE_BUCKETS[-1]), _l(
                "The age groups add up to %(sum)s, but the project reached %(total)s people: correct the "
                "numbers so that they match.", sum=by_age, total=total))
    if not report.photos:
        errors.add("photos", _l("Add at least one photo of the project."))
    return errors


def submit(grant, actor):
    """Sends the draft (or the corrected returned report) to the project office: complete, with
    counts that add up; an active grant moves to "Final report"."""
    grant, report = _writable_report(grant)
    missing_for_submission(report).raise_if_any()
    resubmitted = report.status is ReportStatus.RETURNED
    change_status(report, ReportStatus.SUBMITTED, comments=None, submitted_at=utcnow())
    if grant.status is GrantStatus.ACTIVE:
        move(grant, GrantStatus.REPORTING)
    timeline_event(grant, GrantEventKind.REPORT_SUBMITTED, actor, data={"resubmitted": resubmitted})
    db.session.flush()
    record(actor, "final_report.submitted", {"grant": grant.id, "report": report.id, **snapshot(report),
                                             "resubmitted": resubmitted, "grant_status": grant.status.value})
    return report


def snapshot(report):
    """The report as submitted, for the audit log: every field, the files by their SHA-256."""
    return {
        "work_done": report.work_done, **{name: getattr(report, name) for name in COUNTS},
        "media_links": list(report.media_links), "story": [report.story_situation, report.story_action,
                                                           report.story_result, report.story_quote,
                                                           report.story_quote_by],
        "consent_to_publish": report.consent_to_publish, "photos": [photo.sha256 for photo in report.photos],
        "target_list_sha256": report.target_list_sha256,
    }
