"""Monitoring's section of a grant's page (app.contracts.signals.grant_page_asked): staff see the
planned visit, every visit with its rating, findings and open follow-up; the grantee sees the days
the monitoring group visited and its rating, the findings being the project office's working notes."""
from flask_login import current_user

from app.auth.permissions import Permission, may
from app.contracts.signals import GrantSection, grant_page_asked
from app.monitoring import plan, visits

ORDER = 30  # after the mentor (mentoring), before the final report


@grant_page_asked.connect
def _monitoring_section(grant, audience=None, **_kwargs):
    found = visits.visits_of(grant)
    if audience == "staff":
        if grant.status not in plan.VISITED_STATUSES and not found:
            return None
        return GrantSection("monitoring/_grant_staff.html", order=ORDER, planned=plan.planned_visit(grant),
                            visits=found, may_plan=may(current_user, Permission.MANAGE_MONITORING))
    return GrantSection("monitoring/_grant_grantee.html", order=ORDER, visits=found) if found else None
