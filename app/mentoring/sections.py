"""The mentoring section of a grant's pages (app.contracts.signals.grant_page_asked): the mentor,
the months with and without a meeting, and the meetings; the grantee confirms or disputes each."""
from app.contracts.signals import GrantSection, grant_page_asked
from app.mentoring.assignment import assignment_of
from app.mentoring.meetings import schedule_of


@grant_page_asked.connect
def _mentoring_section(grant, audience=None, **_kwargs):
    assignment = assignment_of(grant)
    schedule = schedule_of(grant)
    if assignment is None and not schedule.meetings and audience == "grantee":
        return None
    return GrantSection("mentoring/_grant_section.html", order=10, audience=audience, assignment=assignment,
                        schedule=schedule)
