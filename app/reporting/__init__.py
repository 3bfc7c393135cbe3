"""Reporting (DESIGN.md section 2, step 11): what the project office tells the Operator and the
public about a call, with every figure computed from the data.

- `app.reporting.facts`: every computed indicator of a call (applications per region, screening
  outcomes, winners, the NEET share, contracts, money, mentors, visits, final reports, the office
  log, surveys, participants' statistics), each with a stable key. The dashboard, the public pages
  and the report to the Operator all read their figures from there.
- `app.reporting.plan`: the call's plan for the report to the Operator ("Annex 8"): tasks,
  activities, indicators whose facts are computed or typed, the social-economic effect table,
  the partners; `app.reporting.annex8` builds the document from it, written as DOCX and PDF in
  Kazakh and Russian by `annex8_docx` and `annex8_pdf`."""
