"""The final report's section of a grant's pages (app.contracts.signals.grant_page_asked): for
staff its status, due date and a link to review it; for the grantee its status and a link to
write it. Connected when the views import this module."""
from app.contracts.models import GrantStatus
from app.contracts.signals import GrantSection, grant_page_asked
from app.final_reports import drafting, listing

ORDER = 90  # after the mentor, the meetings and the monitoring visits: the report ends the project


@grant_page_asked.connect
def _final_report_section(grant, audience=None, **_kwargs):
    row = listing.row_of(grant)
    if grant.status is GrantStatus.CONTRACTING or (grant.status is GrantStatus.TERMINATED and row.report is None):
        return None
    return GrantSection("final_reports/_section.html", order=ORDER, audience=audience, row=row,
                        today=listing.almaty_today(),
                        writable=drafting.why_not_writable(grant, row.report) is None)
