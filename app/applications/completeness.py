"""What an application still lacks before it can be submitted (the problems, in step order), which
form steps are complete, and the eligibility checks that already fail on a step's values (a warning,
not a problem: the applicant may submit and screening decides)."""
from flask_babel import gettext as _

from app.applications import eligibility
from app.applications.documents import document_types
from app.applications.drafting import FORM_STEPS, district_choices


def problems_before_submit(application):
    """What must still be filled in or uploaded, as (step number, message), in step order.

    Failing eligibility checks (age, region, budget over the cap) are not listed: the applicant
    may still submit and screening decides; `warnings` shows them."""
    problems = []

    def need(step, value, message):
        if value in (None, "", []):
            problems.append((step, message))

    a = application
    need(1, a.iin, _("Enter your IIN."))
    need(1, a.last_name, _("Enter your last name."))
    need(1, a.first_name, _("Enter your first name."))
    need(1, a.phone, _("Enter your mobile phone number."))
    need(2, a.region_code, _("Choose the region where you are registered."))
    if a.region_code and district_choices(a.competition, a.region_code):
        need(2, a.district_code, _("Choose your district."))
    need(2, a.address, _("Enter your registration address."))
    if not (a.not_working and a.not_studying and a.not_in_training):
        problems.append((3, _("Confirm that you are not working, not studying and not in training.")))
    need(3, a.situation, _("Describe your situation in your own words."))
    need(4, a.project_title, _("Give your project a title."))
    need(4, a.problem, _("Describe the problem your project solves."))
    need(4, a.goal, _("Describe the goal of your project."))
    need(4, a.target_group, _("Describe who the project is for."))
    need(4, a.activities, _("Describe what you will do."))
    need(4, a.beneficiaries_count, _("Enter how many people will benefit."))
    need(5, a.budget_lines, _("Add at least one purchase to the budget."))
    present = {document.doc_type.value for document in a.documents}
    for doc_type in document_types(a.competition):
        if doc_type.value in a.competition.required_documents and doc_type.value not in present:
            problems.append((6, _("Upload this document: %(document)s.", document=doc_type.title)))
    return problems


def complete_steps(application, problems=None):
    """The form steps (1-6) with nothing missing."""
    if problems is None:
        problems = problems_before_submit(application)
    incomplete = {step for step, _message in problems}
    return {step for step in FORM_STEPS if step not in incomplete}


# Which checks concern the values of each step (missing documents are a problem, not a warning).
STEP_CHECKS = {1: ("iin", "age"), 2: ("region",), 5: ("budget",)}


def eligibility_warnings(application, steps=FORM_STEPS):
    """The eligibility checks of `steps` that definitely fail, as (step number, Check)."""
    by_code = {check.code: check for check in eligibility.checks(application)}
    return [(step, by_code[code]) for step in steps for code in STEP_CHECKS.get(step, ())
            if by_code[code].failed]
