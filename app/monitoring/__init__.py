"""Monitoring of the grants (DESIGN.md section 2, step 8): monitoring groups, the visit plan that
covers every grant under way, the visits the groups record (checklist, findings, rating, photos)
and the follow-up that a bad finding raises on the grant."""
