"""Mentors: candidates apply and staff select the call's pool, each grant gets a mentor, mentors log
their monthly meetings and grantees confirm them (DESIGN.md section 2, step 6)."""
